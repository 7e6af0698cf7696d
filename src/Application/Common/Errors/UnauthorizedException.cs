namespace StudyGuru.Application.Common.Errors;

/// <summary>401: wrong credentials, or a token whose user no longer exists.</summary>
public sealed class UnauthorizedException(string message) : Exception(message);
