namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// A generation owned by this instance while it runs: how to stop it, and who is reading it.
/// When the last reader leaves, the generation is stopped after the disconnect grace unless a
/// reader comes back.
/// </summary>
public sealed class RunningGeneration(
    Guid generationId, Guid userId, Guid interactionId, TimeSpan disconnectGrace, TimeProvider time,
    Func<Guid, CancellationToken, ValueTask<bool>>? hasRemoteReaders = null)
    : IDisposable
{
    /// <summary>How often a generation with no local reader re-checks for readers on other instances.</summary>
    public static readonly TimeSpan RemoteReaderRecheck = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private int _readers;
    private int _stopReason;
    private ITimer? _graceTimer;

    public Guid GenerationId { get; } = generationId;
    public Guid UserId { get; } = userId;
    public Guid InteractionId { get; } = interactionId;
    public CancellationToken StopToken => _stop.Token;
    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);

    /// <summary>Stops the generation; the first reason given wins.</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) != (int)StopReason.None) return;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and disposed: nothing left to stop.
        }
    }

    /// <summary>Counts a reader until the returned handle is disposed.</summary>
    public IDisposable AttachReader()
    {
        lock (_gate)
        {
            _readers++;
            _graceTimer?.Dispose();
            _graceTimer = null;
        }
        return new ReaderPresence(this);
    }

    private void DetachReader()
    {
        lock (_gate)
        {
            if (--_readers > 0) return;
            if (disconnectGrace <= TimeSpan.Zero)
            {
                Stop(StopReason.ClientLeft);
                return;
            }
            _graceTimer = time.CreateTimer(_ => OnGraceExpired(), null, disconnectGrace, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnGraceExpired() => _ = OnGraceExpiredAsync();

    private async Task OnGraceExpiredAsync()
    {
        lock (_gate)
        {
            if (_readers > 0) return;
        }
        if (hasRemoteReaders is not null && !_stop.IsCancellationRequested)
        {
            bool remote;
            try
            {
                remote = await hasRemoteReaders(GenerationId, CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                remote = false;
            }
            if (remote)
            {
                lock (_gate)
                {
                    if (_readers > 0 || _stop.IsCancellationRequested) return;
                    _graceTimer?.Dispose();
                    _graceTimer = time.CreateTimer(_ => OnGraceExpired(), null, RemoteReaderRecheck, Timeout.InfiniteTimeSpan);
                }
                return;
            }
        }
        Stop(StopReason.ClientLeft);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _graceTimer?.Dispose();
            _graceTimer = null;
        }
        _stop.Dispose();
    }

    private sealed class ReaderPresence(RunningGeneration owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.DetachReader();
        }
    }
}
