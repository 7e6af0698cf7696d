namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// Requests of one user under one idempotency key take turns on this instance from the retry check to
/// the start's commit, so that a retry arriving before the first request's first byte waits for it and
/// then attaches, instead of racing it for the limits (docs/domain-rules.md, "Idempotency").
/// Keys share a fixed set of locks (no per-key state to clean up); two different keys rarely meet on
/// one lock, and then only wait for each other's start, never for an answer.
/// </summary>
public sealed class IdempotencyKeyTurns
{
    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<IDisposable> EnterAsync(Guid userId, string key, CancellationToken cancellationToken)
    {
        var stripe = _locks[(int)((uint)HashCode.Combine(userId, StringComparer.Ordinal.GetHashCode(key)) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        return new Turn(stripe);
    }

    private sealed class Turn(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) stripe.Release();
        }
    }
}
