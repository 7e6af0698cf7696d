namespace StudyGuru.Application.Common.Errors;

/// <summary>204: a resume of a generation that has ended and has nothing left to send.</summary>
public sealed class NoContentException() : Exception("The generation has ended; nothing is left to send.");
