using Mediator;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Common.Streams;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// Opens the stream endpoints' streams so that an open stream holds as little as possible
/// (docs/performance.md, "Memory per open stream").
/// <list type="bullet">
/// <item>Everything until the first event (the checks, the reservation, the database work) runs in a DI scope
/// of its own, which ends as soon as the first event exists. Held by the request, that scope (its table of
/// resolved services and its DbContext, taken out of the pool) stayed alive for the whole stream, seconds to
/// minutes. After the first event a stream reads only the generation's event log through singletons
/// (<c>GenerationReader</c>, the buffer store), so nothing it still uses lives in the scope.</item>
/// <item>At most <c>Streaming:MaxConcurrentStarts</c> starts run at once; the others wait, in order of arrival,
/// before their scope exists. A burst of thousands of requests otherwise had thousands of starts in flight,
/// each with its DbContext and EF Core's services for it (~20 KB), all queued behind the one database writer
/// that runs them one batch at a time anyway.</item>
/// </list>
/// Refusals before the first event still propagate to the caller, which turns them into problem responses.
/// </summary>
public sealed class StreamStarts(IServiceScopeFactory scopes, IOptions<StreamingOptions> options)
{
    private readonly SemaphoreSlim _starting = new(Math.Max(1, options.Value.MaxConcurrentStarts));

    /// <summary>A stream query that may start a new answer (or attach to a running one): in its own scope, within the limit.</summary>
    public IAsyncEnumerable<T> Stream<T>(IStreamQuery<T> query, CancellationToken cancellationToken) =>
        DeferredAsyncStream<T>.Positioned(token => StartAsync(query, true, token), cancellationToken);

    /// <summary>
    /// A stream query that only follows a running answer (<c>GET /api/chat/{id}/stream</c>): in its own scope, not
    /// limited, for the same reasons as <see cref="OpenAsync{T}"/>.
    /// </summary>
    public IAsyncEnumerable<T> Follow<T>(IStreamQuery<T> query, CancellationToken cancellationToken) =>
        DeferredAsyncStream<T>.Positioned(token => StartAsync(query, false, token), cancellationToken);

    /// <summary>
    /// A resume (<c>GET /api/stream/generations/{id}</c>): its refusals happen while it is opened, in a scope of its
    /// own that ends before the stream is followed. Not limited like a start: it writes nothing, and a resume may
    /// wait for the buffer that a start (itself waiting for its turn) is about to create.
    /// </summary>
    public async ValueTask<T> OpenAsync<T>(IQuery<T> query, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, cancellationToken);
    }

    /// <returns>The stream, positioned on its first event (when it had one).</returns>
    private async ValueTask<(IAsyncEnumerator<T> Items, bool HasFirst)> StartAsync<T>(
        IStreamQuery<T> query, bool limited, CancellationToken cancellationToken)
    {
        if (limited) await _starting.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var events = scope.ServiceProvider.GetRequiredService<IMediator>().CreateStream(query, cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            try
            {
                return (events, await events.MoveNextAsync());
            }
            catch
            {
                await events.DisposeAsync();
                throw;
            }
        }
        finally
        {
            if (limited) _starting.Release();
        }
    }
}
