namespace StudyGuru.Application.Common.Streams;

/// <summary>
/// A stream whose source is known only after an asynchronous start (a validation, the checks and the database
/// work of a generation's start). The start runs at the first <c>MoveNextAsync</c>; after it, every
/// <c>MoveNextAsync</c> goes straight to the source's enumerator. An <c>async</c> iterator that only forwards
/// (<c>await foreach ... yield return</c>) costs a state machine step and an awaited value task per item, and
/// every token passes each layer (docs/performance.md, "One token count, cheaper frames").
/// </summary>
public sealed class DeferredAsyncStream<T>(Func<CancellationToken, ValueTask<IAsyncEnumerable<T>>> start, CancellationToken token)
    : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(start, StreamCancellation.Combine(token, cancellationToken));

    private sealed class Enumerator(Func<CancellationToken, ValueTask<IAsyncEnumerable<T>>> start, StreamCancellation cancellation)
        : IAsyncEnumerator<T>
    {
        private IAsyncEnumerator<T>? _source;
        private bool _started;

        public T Current => _source is null ? default! : _source.Current;

        public ValueTask<bool> MoveNextAsync() => _source is { } source ? source.MoveNextAsync() : StartAsync();

        private async ValueTask<bool> StartAsync()
        {
            if (_started) return false;
            _started = true;
            var token = cancellation.Token;
            token.ThrowIfCancellationRequested();
            var events = await start(token);
            _source = events.GetAsyncEnumerator(token);
            return await _source.MoveNextAsync();
        }

        public async ValueTask DisposeAsync()
        {
            _started = true;
            try
            {
                if (_source is { } source) await source.DisposeAsync();
            }
            finally
            {
                cancellation.Dispose();
            }
        }
    }
}

/// <summary>
/// The token of a hand-written stream enumerator: the stream's own and the one given to
/// <c>GetAsyncEnumerator</c>, linked only when both can be cancelled (as the compiler does for
/// <c>[EnumeratorCancellation]</c>).
/// </summary>
public readonly struct StreamCancellation : IDisposable
{
    private readonly CancellationTokenSource? _linked;

    private StreamCancellation(CancellationToken token, CancellationTokenSource? linked)
    {
        Token = token;
        _linked = linked;
    }

    public CancellationToken Token { get; }

    public static StreamCancellation Combine(CancellationToken stream, CancellationToken enumerator)
    {
        if (!enumerator.CanBeCanceled || enumerator == stream) return new StreamCancellation(stream, null);
        if (!stream.CanBeCanceled) return new StreamCancellation(enumerator, null);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stream, enumerator);
        return new StreamCancellation(linked.Token, linked);
    }

    public void Dispose() => _linked?.Dispose();
}
