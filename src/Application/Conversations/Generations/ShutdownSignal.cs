namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// The instance's graceful stop, in two steps: <see cref="IsDraining"/> (refuse new work with 503) and,
/// after the drain period, <see cref="ReadersMustLeave"/> (close reader-only streams without a terminal
/// event, so that their clients resume on another instance).
/// </summary>
public sealed class ShutdownSignal
{
    private readonly CancellationTokenSource _readersMustLeave = new();
    private volatile bool _draining;

    public bool IsDraining => _draining;
    public CancellationToken ReadersMustLeave => _readersMustLeave.Token;

    public void BeginDrain() => _draining = true;
    // Never disposed: it lives as long as the process and has no timer to release.
    public void EndReaders() => _readersMustLeave.Cancel();
}
