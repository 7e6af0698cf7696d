namespace StudyGuru.Application.Common.Streams;

/// <summary>
/// A stream whose source is known only after an asynchronous start (a validation, the checks and the database
/// work of a generation's start). The start runs at the first <c>MoveNextAsync</c>; after it, every
/// <c>MoveNextAsync</c> goes straight to the source's enumerator. An <c>async</c> iterator that only forwards
/// (<c>await foreach ... yield return</c>) costs a state machine step and an awaited value task per item, and
/// every token passes each layer (docs/performance.md, "One token count, cheaper frames").
/// </summary>
public sealed class DeferredAsyncStream<T> : IAsyncEnumerable<T>
{
    private readonly Func<CancellationToken, ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)>> _start;
    private readonly CancellationToken _token;

    /// <param name="start">Gives the source once the asynchronous start has run.</param>
    public DeferredAsyncStream(Func<CancellationToken, ValueTask<IAsyncEnumerable<T>>> start, CancellationToken token)
        : this(ct => FirstOfAsync(start, ct), token)
    {
    }

    private DeferredAsyncStream(Func<CancellationToken, ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)>> start, CancellationToken token)
    {
        _start = start;
        _token = token;
    }

    /// <summary>
    /// A stream whose start already moved the source's enumerator to its first item (the stream endpoints do, so
    /// that the start's DI scope can end there: docs/performance.md, "Memory per open stream").
    /// </summary>
    /// <param name="start">Gives the enumerator and whether it stands on a first item.</param>
    public static DeferredAsyncStream<T> Positioned(
        Func<CancellationToken, ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)>> start, CancellationToken token) =>
        new(start, token);

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(_start, StreamCancellation.Combine(_token, cancellationToken));

    private static async ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)> FirstOfAsync(
        Func<CancellationToken, ValueTask<IAsyncEnumerable<T>>> start, CancellationToken token)
    {
        var items = (await start(token)).GetAsyncEnumerator(token);
        try
        {
            return (items, await items.MoveNextAsync());
        }
        catch
        {
            await items.DisposeAsync();
            throw;
        }
    }

    private sealed class Enumerator(
        Func<CancellationToken, ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)>> start, StreamCancellation cancellation)
        : IAsyncEnumerator<T>
    {
        private IAsyncEnumerator<T>? _source;
        private bool _ended;

        public T Current => _source is null ? default! : _source.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_ended) return new ValueTask<bool>(false);
            return _source is { } source ? source.MoveNextAsync() : StartAsync();
        }

        private async ValueTask<bool> StartAsync()
        {
            _ended = true;
            var token = cancellation.Token;
            token.ThrowIfCancellationRequested();
            var (items, hasFirst) = await start(token);
            _source = items;
            _ended = !hasFirst;
            return hasFirst;
        }

        public async ValueTask DisposeAsync()
        {
            _ended = true;
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
