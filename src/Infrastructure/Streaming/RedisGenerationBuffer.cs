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

    public Guid GenerationId { get; } = generationId;
    public Guid UserId { get; } = userId;
    public GenerationFormat Format { get; } = format;

    public async ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        var database = redis.TryGetDatabase() ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not reachable.");
        var result = (long)await database.ScriptEvaluateAsync(RedisGenerationScripts.Append,
            [RedisGenerationKeys.Meta(GenerationId), RedisGenerationKeys.Events(GenerationId)],
            [StoredEventCodec.Serialize(@event), @event.IsTerminal ? "1" : "0", (long)keepAfterEnd.TotalSeconds,
                RedisGenerationKeys.Appended(GenerationId)]);
        return result > 0 ? result : null;
    }

    public async IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscriber = await redis.GetSubscriberAsync();
        var appended = new SemaphoreSlim(0);
        var channel = await subscriber.SubscribeAsync(RedisChannel.Literal(RedisGenerationKeys.Appended(GenerationId)));
        channel.OnMessage(_ => appended.Release());
        try
        {
            var next = afterSequence;
            while (true)
            {
                var database = redis.TryGetDatabase() ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not reachable.");
                var entries = await database.StreamRangeAsync(RedisGenerationKeys.Events(GenerationId), $"{next + 1}-0", "+");
                foreach (var entry in entries)
                {
                    var sequence = long.Parse(entry.Id.ToString().Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
                    var stored = StoredEventCodec.Deserialize(entry["e"]!);
                    next = sequence;
                    yield return new GenerationEvent(GenerationId, sequence, Format, stored);
                    if (stored.IsTerminal) yield break;
                }
                await appended.WaitAsync(SafetyPoll, cancellationToken);
            }
        }
        finally
        {
            await channel.UnsubscribeAsync();
        }
    }

    public async ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken)
    {
        var value = await Database().HashGetAsync(RedisGenerationKeys.Meta(GenerationId), "terminal");
        return value.IsNull ? null : (long)value;
    }

    public async ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken)
    {
        var value = await Database().HashGetAsync(RedisGenerationKeys.Meta(GenerationId), "last");
        return value.IsNull ? 0 : (long)value;
    }

    public async ValueTask<string> GetContentAsync(CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var entry in await Database().StreamRangeAsync(RedisGenerationKeys.Events(GenerationId), "-", "+"))
            if (StoredEventCodec.Deserialize(entry["e"]!) is TokenEvent token) builder.Append(token.Content);
        return builder.ToString();
    }

    private IDatabase Database() =>
        redis.TryGetDatabase() ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not reachable.");
}
