using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>Stops generations owned by this instance: the whole story while a single instance runs them.</summary>
public sealed class LocalGenerationCanceller(RunningGenerations running) : IGenerationCanceller
{
    public ValueTask<bool> CancelAsync(Guid generationId, StopReason reason, CancellationToken cancellationToken) =>
        ValueTask.FromResult(running.TryStop(generationId, reason));
}
