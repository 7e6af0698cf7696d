namespace StudyGuru.Application.Common.Errors;

/// <summary>413: an upload over the configured size limit.</summary>
public sealed class PayloadTooLargeException(string message) : Exception(message);
