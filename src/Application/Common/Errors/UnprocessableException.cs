namespace StudyGuru.Application.Common.Errors;

/// <summary>422: an Idempotency-Key reused with a different request.</summary>
public sealed class UnprocessableException(string message) : Exception(message);
