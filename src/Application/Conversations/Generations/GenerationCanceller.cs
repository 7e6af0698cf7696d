using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Stops a generation where it runs: here directly, otherwise through <see cref="IGenerationSignals"/>
/// (Redis pub/sub when configured), which reaches the owning instance.
/// </summary>
public sealed class GenerationCanceller(RunningGenerations running, IGenerationSignals signals) : IGenerationCanceller
{
    public async ValueTask<bool> CancelAsync(Guid generationId, StopReason reason, CancellationToken cancellationToken) =>
        running.TryStop(generationId, reason) || await signals.RequestStopAsync(generationId, cancellationToken);
}
