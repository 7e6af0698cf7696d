using System.Runtime.CompilerServices;
using Mediator;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// Runs a generation stream's start (everything until its first event: the checks, the reservation, the
/// database work) in a DI scope of its own, which ends as soon as the first event exists. An answer streams
/// for seconds to minutes; held by the request, that scope (its table of resolved services, ~8 KB, and its
/// DbContext, taken out of the pool) stayed alive for the whole stream (docs/performance.md, "The generation
/// core rebuilt"). After the first event a stream reads only the generation's event log
/// through singletons (<c>GenerationReader</c>, the buffer store), so nothing it still uses lives in the scope.
/// Refusals before the first event still propagate to the caller, which turns them into problem responses.
/// </summary>
public static class StartInOwnScope
{
    public static async IAsyncEnumerable<GenerationEvent> Stream(
        IServiceScopeFactory scopes, IStreamQuery<GenerationEvent> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (events, first) = await StartAsync(scopes, query, cancellationToken);
        await using (events)
        {
            if (first is null) yield break;
            yield return first;
            while (await events.MoveNextAsync()) yield return events.Current;
        }
    }

    /// <returns>The stream, positioned on its first event (null when it had none).</returns>
    private static async Task<(IAsyncEnumerator<GenerationEvent> Events, GenerationEvent? First)> StartAsync(
        IServiceScopeFactory scopes, IStreamQuery<GenerationEvent> query, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var events = scope.ServiceProvider.GetRequiredService<IMediator>().CreateStream(query, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            return (events, await events.MoveNextAsync() ? events.Current : null);
        }
        catch
        {
            await events.DisposeAsync();
            throw;
        }
    }
}
