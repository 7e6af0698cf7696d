namespace StudyGuru.Application.Common.Errors;

/// <summary>415: an upload whose bytes are not an image of a supported kind.</summary>
public sealed class UnsupportedMediaTypeException(string message) : Exception(message);
