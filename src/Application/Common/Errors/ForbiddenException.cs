namespace StudyGuru.Application.Common.Errors;

/// <summary>403: a credential other than a bearer token (a signed media URL) was presented and is not valid.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
