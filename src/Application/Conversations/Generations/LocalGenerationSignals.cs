using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>Signals within one process: the embedded default, where every generation is owned here.</summary>
public sealed class LocalGenerationSignals(RunningGenerations running) : IGenerationSignals
{
    public Task<bool> RequestStopAsync(Guid generationId, CancellationToken cancellationToken) =>
        Task.FromResult(running.TryStop(generationId, StopReason.UserRequested));

    public ValueTask<bool> HasRemoteReadersAsync(Guid generationId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public IAsyncDisposable TrackRemoteReader(Guid generationId) => NoPresence.Instance;

    private sealed class NoPresence : IAsyncDisposable
    {
        public static readonly NoPresence Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
