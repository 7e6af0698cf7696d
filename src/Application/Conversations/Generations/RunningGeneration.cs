namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// A generation owned by this instance while it runs: how to stop it, and who is reading it.
/// When the last reader leaves, the generation is abandoned after the disconnect grace unless a reader
/// comes back; the host (<see cref="GenerationHost"/>) looks for abandoned generations and stops them
/// unless readers on other instances still follow them.
/// </summary>
public sealed class RunningGeneration(Guid generationId, Guid userId, Guid interactionId, TimeSpan disconnectGrace, TimeProvider time)
    : IDisposable
{
    /// <summary>How often a generation with no local reader re-checks for readers on other instances.</summary>
    public static readonly TimeSpan RemoteReaderRecheck = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private int _readers;
    private int _stopReason;
    // When the generation counts as abandoned if no reader came back; null while someone reads (or nobody has yet).
    private DateTimeOffset? _abandonedAt;

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
            _abandonedAt = null;
        }
        return new ReaderPresence(this);
    }

    /// <summary>True when the last local reader left more than the disconnect grace before <paramref name="now"/>.</summary>
    public bool IsAbandoned(DateTimeOffset now)
    {
        lock (_gate) return _readers == 0 && _abandonedAt is { } at && at <= now && StopReason == StopReason.None;
    }

    /// <summary>Readers elsewhere still follow it: look again at <paramref name="next"/>.</summary>
    public void PostponeAbandonment(DateTimeOffset next)
    {
        lock (_gate)
        {
            if (_readers == 0) _abandonedAt = next;
        }
    }

    private void DetachReader()
    {
        lock (_gate)
        {
            if (--_readers > 0) return;
            if (disconnectGrace > TimeSpan.Zero)
            {
                _abandonedAt = time.GetUtcNow() + disconnectGrace;
                return;
            }
        }
        Stop(StopReason.ClientLeft);
    }

    public void Dispose() => _stop.Dispose();

    private sealed class ReaderPresence(RunningGeneration owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.DetachReader();
        }
    }
}
