using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.Abstractions;

/// <summary>
/// Asks the instance that owns a generation to stop it. The generation then ends as docs/domain-rules.md, "A generation's life", says
/// for its reason (a cancel after a token is charged and ends <c>complete</c>/<c>cancelled</c>).
/// The seam where a cancel can later be published to the other instances.
/// </summary>
public interface IGenerationCanceller
{
    /// <returns>True when an owner was reached and the generation is being stopped.</returns>
    ValueTask<bool> CancelAsync(Guid generationId, StopReason reason, CancellationToken cancellationToken);
}
