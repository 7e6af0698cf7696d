namespace StudyGuru.Infrastructure.Media;

/// <summary>
/// A bound on the image bytes that all running model calls of this process hold at once
/// (<c>Media:ModelImageBudgetBytes</c>). A call that would pass it waits, first come first served, until
/// earlier calls release theirs; a request larger than the whole budget takes all of it, so it still runs.
/// </summary>
public sealed class ImageBytesBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available;

    public ImageBytesBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Capacity = capacityBytes;
        _available = capacityBytes;
    }

    public long Capacity { get; }

    /// <summary>What is free now (for tests and diagnostics).</summary>
    public long Available { get { lock (_gate) return _available; } }

    /// <returns>A lease that gives the bytes back when disposed.</returns>
    public async Task<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        var amount = Math.Clamp(bytes, 0, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= amount)
            {
                _available -= amount;
                return new Lease(this, amount);
            }
            waiter = new Waiter(amount);
            waiter.Node = _waiters.AddLast(waiter);
        }
        await using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
            await waiter.Granted.Task;
        return new Lease(this, amount);
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null) return; // already granted
            _waiters.Remove(waiter.Node);
            waiter.Granted.TrySetCanceled(cancellationToken);
            // The abandoned waiter may have been the head that held the others back.
            GrantWaiting();
        }
    }

    private void Release(long amount)
    {
        lock (_gate)
        {
            _available += amount;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiters.First is { } first && _available >= first.Value.Amount)
        {
            _available -= first.Value.Amount;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long amount)
    {
        public long Amount { get; } = amount;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(ImageBytesBudget budget, long amount) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) budget.Release(amount);
        }
    }
}
