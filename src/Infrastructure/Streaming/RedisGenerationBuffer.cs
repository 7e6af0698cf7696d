using System.Runtime.CompilerServices;
using System.Text;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// A generation's buffer as any instance sees it in Redis: a stream whose entry ids are the event
/// sequences, plus a small hash (owner, format, last and terminal sequence). Readers read with XRANGE
/// and wait for the append announcements (with a slow poll as a safety net).
/// </summary>
internal sealed class RedisGenerationBuffer(
    RedisConnection redis, Guid generationId, Guid userId, GenerationFormat format, TimeSpan keepAfterEnd) : IGenerationBuffer
{
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReaderPatience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest the reader waits for one Redis call. The client library's own timeout should end a call
    /// sooner, but a call caught in a connection the library is tearing down may never complete; the reader
    /// must then go on polling instead of waiting forever (docs/streaming-api.md, "Resuming a stream (Last-Event-ID)").
    /// </summary>
    private static readonly TimeSpan CommandBound = RedisConnection.OperationTimeout * 3;

    public Guid GenerationId { get; } = generationId;
    public Guid UserId { get; } = userId;
    public GenerationFormat Format { get; } = format;

    public ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken) =>
        AppendAtAsync(@event, 0);

    /// <summary>Appends as sequence <paramref name="expectedSequence"/> (0: the next one). Retrying the same
    /// sequence after a timeout is safe: an append that did land is not repeated.</summary>
    internal async ValueTask<long?> AppendAtAsync(ConversationEvent @event, long expectedSequence)
    {
        var result = (long)await redis.RunOrThrowAsync(database => database.ScriptEvaluateAsync(RedisGenerationScripts.Append,
            [RedisGenerationKeys.Meta(GenerationId), RedisGenerationKeys.Events(GenerationId)],
            [StoredEventCodec.Serialize(@event), @event.IsTerminal ? "1" : "0", (long)keepAfterEnd.TotalSeconds,
                RedisGenerationKeys.Appended(GenerationId), expectedSequence]));
        return result > 0 ? result : null;
    }

    public async IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var appended = new SemaphoreSlim(0);
        var channel = await TrySubscribeAsync(appended, cancellationToken);
        try
        {
            var next = afterSequence;
            var lastProgress = DateTime.UtcNow;
            while (true)
            {
                // A remote reader rides out short Redis trouble (timeouts, the skip window after one) and
                // gives up only when nothing could be read for a while.
                var read = await redis.RunOrFallBackAsync(
                    database => ReadAfterAsync(database, next, cancellationToken),
                    static () => RemoteRead.Unavailable,
                    exception => IsRedisTrouble(exception, cancellationToken));
                if (read.Entries is not { } entries)
                {
                    if (DateTime.UtcNow - lastProgress >= ReaderPatience)
                        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect,
                            $"Redis gave the reader of generation {GenerationId} nothing for {ReaderPatience.TotalSeconds:0} s.");
                    await Task.Delay(250, cancellationToken);
                    continue;
                }
                if (read.Ended) yield break;
                foreach (var entry in entries)
                {
                    var sequence = long.Parse(entry.Id.ToString().Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
                    var stored = StoredEventCodec.Deserialize(entry["e"]!);
                    next = sequence;
                    lastProgress = DateTime.UtcNow;
                    yield return new GenerationEvent(GenerationId, sequence, Format, stored);
                    if (stored.IsTerminal) yield break;
                }
                await appended.WaitAsync(SafetyPoll, cancellationToken);
            }
        }
        finally
        {
            // Not awaited: an unsubscribe must not hold the end of a read while Redis is in trouble.
            channel?.Unsubscribe(CommandFlags.FireAndForget);
        }
    }

    /// <summary>Subscribes to the append announcements; without them (Redis in trouble now) the read polls.</summary>
    private async Task<ChannelMessageQueue?> TrySubscribeAsync(SemaphoreSlim appended, CancellationToken cancellationToken) =>
        await redis.RunOrFallBackAsync<ChannelMessageQueue?>(
            async database =>
            {
                var channel = await database.Multiplexer.GetSubscriber()
                    .SubscribeAsync(RedisChannel.Literal(RedisGenerationKeys.Appended(GenerationId)))
                    .WaitAsync(CommandBound, cancellationToken);
                channel.OnMessage(_ => appended.Release());
                return channel;
            },
            static () => null,
            exception => IsRedisTrouble(exception, cancellationToken));

    /// <summary>The entries after <paramref name="next"/>, and whether nothing more will come.</summary>
    private async Task<RemoteRead> ReadAfterAsync(IDatabase database, long next, CancellationToken cancellationToken)
    {
        var entries = await database.StreamRangeAsync(RedisGenerationKeys.Events(GenerationId), $"{next + 1}-0", "+")
            .WaitAsync(CommandBound, cancellationToken);
        // No read outlives its generation: nothing new, and the end is behind the position, or the
        // shared copy is gone (dropped by its owner, or expired): the client resumes elsewhere.
        var ended = entries.Length == 0 && await HasNothingMoreAsync(database, next).WaitAsync(CommandBound, cancellationToken);
        return new RemoteRead(entries, ended);
    }

    /// <summary>One look at the shared copy; no entries when Redis could not serve it.</summary>
    private readonly record struct RemoteRead(StreamEntry[]? Entries, bool Ended)
    {
        public static RemoteRead Unavailable => default;
    }

    /// <summary>A failed or stuck Redis call (<see cref="RedisConnection.IsUnavailableOrTornDown"/>), not the reader's own cancellation.</summary>
    private static bool IsRedisTrouble(Exception exception, CancellationToken cancellationToken) =>
        RedisConnection.IsUnavailableOrTornDown(exception) && !cancellationToken.IsCancellationRequested;

    private async Task<bool> HasNothingMoreAsync(IDatabase database, long next)
    {
        var meta = await database.HashGetAsync(RedisGenerationKeys.Meta(GenerationId), ["user", "terminal"]);
        return meta[0].IsNull || (!meta[1].IsNull && (long)meta[1] <= next);
    }

    public async ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken)
    {
        var value = await redis.RunOrThrowAsync(database => database.HashGetAsync(RedisGenerationKeys.Meta(GenerationId), "terminal"));
        return value.IsNull ? null : (long)value;
    }

    public async ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken)
    {
        var value = await redis.RunOrThrowAsync(database => database.HashGetAsync(RedisGenerationKeys.Meta(GenerationId), "last"));
        return value.IsNull ? 0 : (long)value;
    }

    public async ValueTask<string> GetContentAsync(CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        var entries = await redis.RunOrThrowAsync(database => database.StreamRangeAsync(RedisGenerationKeys.Events(GenerationId), "-", "+"));
        foreach (var entry in entries)
            if (StoredEventCodec.Deserialize(entry["e"]!) is TokenEvent token) builder.Append(token.Content);
        return builder.ToString();
    }
}
