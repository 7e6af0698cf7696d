namespace StudyGuru.Application.Abstractions;

/// <summary>
/// What must reach a generation wherever it runs: stop requests, and the presence of readers on other
/// instances (so that its owner does not stop it for lack of local readers). Through Redis when
/// configured; within this process otherwise.
/// </summary>
public interface IGenerationSignals
{
    /// <summary>Asks the other instances to stop a generation one of them owns (the caller has already tried
    /// this instance). False when none could own it; a ServiceUnavailableException when the owner may exist
    /// but cannot be reached (Redis down).</summary>
    Task<bool> RequestStopAsync(Guid generationId, CancellationToken cancellationToken);

    /// <summary>Whether readers on other instances follow the generation right now.</summary>
    ValueTask<bool> HasRemoteReadersAsync(Guid generationId, CancellationToken cancellationToken);

    /// <summary>Announces a reader on this instance of a generation owned elsewhere, until disposed.</summary>
    IAsyncDisposable TrackRemoteReader(Guid generationId);
}
