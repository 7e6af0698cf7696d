namespace StudyGuru.Application.Common.Errors;

/// <summary>409. <see cref="GenerationId"/> names the running generation the client can resume instead.</summary>
public sealed class ConflictException(string message, Guid? generationId = null) : Exception(message)
{
    public Guid? GenerationId { get; } = generationId;
}
