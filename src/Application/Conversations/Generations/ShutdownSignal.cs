namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// The instance's graceful stop, in two steps: <see cref="IsDraining"/> (refuse new work with 503) and,
/// after the drain period, <see cref="ReadersMustLeave"/> (close reader-only streams without a terminal
/// event, so that their clients resume on another instance).
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _readersMustLeave = new();
    private volatile bool _draining;

    public bool IsDraining => _draining;
    public CancellationToken ReadersMustLeave => _readersMustLeave.Token;

    public void BeginDrain() => _draining = true;
    public void EndReaders() => _readersMustLeave.Cancel();

    public void Dispose() => _readersMustLeave.Dispose();
}
