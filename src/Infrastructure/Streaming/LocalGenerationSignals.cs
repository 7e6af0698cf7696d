using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>Signals within one process: the embedded default, where every generation is owned here, so
/// there is no other instance to reach.</summary>
public sealed class LocalGenerationSignals : IGenerationSignals
{
    public Task<bool> RequestStopAsync(Guid generationId, CancellationToken cancellationToken) => Task.FromResult(false);

    public ValueTask<bool> HasRemoteReadersAsync(Guid generationId, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public IAsyncDisposable TrackRemoteReader(Guid generationId) => NoPresence.Instance;

    private sealed class NoPresence : IAsyncDisposable
    {
        public static readonly NoPresence Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
