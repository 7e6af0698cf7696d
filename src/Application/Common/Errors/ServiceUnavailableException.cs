namespace StudyGuru.Application.Common.Errors;

/// <summary>503 with Retry-After: the request cannot be served by this instance right now.</summary>
public sealed class ServiceUnavailableException(string message) : Exception(message);
