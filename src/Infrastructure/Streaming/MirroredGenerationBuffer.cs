using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// The owner's buffer: kept in local memory for its own readers, and copied in order to the Redis buffer
/// in runs (one round trip for whatever accumulated meanwhile). A local reader sees an event only once it
/// is in Redis, so after this process dies every event a client has seen can be served by another instance,
/// and the sweep's terminal event takes a sequence no client holds (docs/streaming-api.md, "Resuming a stream").
/// A copy that times out is retried (runs name their sequences, so a retry never duplicates); only when
/// Redis stays unreachable is the shared buffer dropped rather than left with a gap: local readers then see
/// events at once, and readers elsewhere end and fall back to the database replay.
/// </summary>
internal sealed partial class MirroredGenerationBuffer : IGenerationBuffer
{
    /// <summary>The most events copied in one round trip.</summary>
    private const int MaxRun = 256;

    private readonly InMemoryGenerationBuffer _local;
    private readonly RedisConnection _redis;
    private readonly TimeSpan _keepAfterEnd;
    private readonly TimeSpan _keepWhileRunning;
    private readonly ILogger _logger;
    /// <summary>How long one run's copy is retried before the shared buffer is given up.</summary>
    private static readonly TimeSpan CopyPersistence = TimeSpan.FromSeconds(15);

    private readonly Channel<(long Sequence, ConversationEvent Event)> _pending =
        Channel.CreateUnbounded<(long, ConversationEvent)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _copying;
    private bool _broken;

    public MirroredGenerationBuffer(InMemoryGenerationBuffer local, RedisConnection redis, TimeSpan keepAfterEnd, TimeSpan keepWhileRunning, ILogger logger)
    {
        _local = local;
        _redis = redis;
        _keepAfterEnd = keepAfterEnd;
        _keepWhileRunning = keepWhileRunning;
        _logger = logger;
        // Owned by this buffer: the terminal append waits for it, so the copy ends with the generation.
        _copying = CopyAllAsync();
    }

    public Guid GenerationId => _local.GenerationId;
    public Guid UserId => _local.UserId;
    public GenerationFormat Format => _local.Format;

    public async ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        var sequence = await _local.AppendAsync(@event, cancellationToken);
        if (sequence is { } appended) _pending.Writer.TryWrite((appended, @event));
        if (@event.IsTerminal)
        {
            _pending.Writer.TryComplete();
            await _copying;
        }
        return sequence;
    }

    public IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, CancellationToken cancellationToken) =>
        _local.ReadAsync(afterSequence, cancellationToken);

    public ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken) => _local.GetTerminalSequenceAsync(cancellationToken);
    public ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken) => _local.GetLastSequenceAsync(cancellationToken);
    public ValueTask<string> GetContentAsync(CancellationToken cancellationToken) => _local.GetContentAsync(cancellationToken);

    private async Task CopyAllAsync()
    {
        try
        {
            if (!await PersistAsync(CreateSharedAsync)) GiveUpSharedCopy();
            var run = new List<(long Sequence, ConversationEvent Event)>();
            while (await _pending.Reader.WaitToReadAsync())
            {
                run.Clear();
                while (run.Count < MaxRun && _pending.Reader.TryRead(out var item)) run.Add(item);
                if (_broken) continue;
                if (await PersistAsync(database => CopyRunAsync(database, run)))
                {
                    _local.Publish(run[^1].Sequence);
                    continue;
                }
                GiveUpSharedCopy();
                await DropSharedCopyAsync();
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogCopyFailed(GenerationId, exception);
            GiveUpSharedCopy();
        }
    }

    private void GiveUpSharedCopy()
    {
        _broken = true;
        _local.PublishEverything();
    }

    private async Task<bool> CreateSharedAsync(IDatabase database)
    {
        var meta = RedisGenerationKeys.Meta(GenerationId);
        await database.HashSetAsync(meta, [new("user", UserId.ToString()), new("format", Format.ToString()), new("last", 0)]);
        await database.KeyExpireAsync(meta, _keepWhileRunning);
        return true;
    }

    private async Task<bool> CopyRunAsync(IDatabase database, List<(long Sequence, ConversationEvent Event)> run)
    {
        var arguments = new RedisValue[3 + 2 * run.Count];
        arguments[0] = (long)_keepAfterEnd.TotalSeconds;
        arguments[1] = RedisGenerationKeys.Appended(GenerationId);
        arguments[2] = run[0].Sequence;
        for (var i = 0; i < run.Count; i++)
        {
            arguments[3 + 2 * i] = StoredEventCodec.Serialize(run[i].Event);
            arguments[4 + 2 * i] = run[i].Event.IsTerminal ? "1" : "0";
        }
        var result = (long)await database.ScriptEvaluateAsync(RedisGenerationScripts.AppendRun,
            [RedisGenerationKeys.Meta(GenerationId), RedisGenerationKeys.Events(GenerationId)], arguments);
        if (result <= 0) return false;
        // The events key exists only after the first XADD: give it the running expiry too.
        if (run[0].Sequence == 1 && !run[^1].Event.IsTerminal)
            await database.KeyExpireAsync(RedisGenerationKeys.Events(GenerationId), _keepWhileRunning);
        return true;
    }

    /// <summary>
    /// Runs a copy step through the connection's one fallback mechanism, but persistently: unlike a cache, the
    /// shared copy has no memory answer, and a gap in it would be worse than none, so the step is retried through
    /// Redis timeouts and short outages for up to <see cref="CopyPersistence"/> (safe, since runs name their
    /// sequences and a retried run is never applied twice); false when it never went through. A connection
    /// disposed under the copy (the host stops) is not retried: the copy fails and is given up at once.
    /// </summary>
    private async Task<bool> PersistAsync(Func<IDatabase, Task<bool>> step) =>
        await _redis.RunPersistentlyOrFallBackAsync(step, static () => false, CopyPersistence,
            static exception => exception is RedisException or TimeoutException);

    /// <summary>
    /// Deletes the shared copy, retrying like a copy step: a copy left behind without its terminal event looks
    /// alive to readers on other instances, which would follow it until it expires instead of ending and
    /// falling back to the database replay. Local readers already have every event (see <see cref="GiveUpSharedCopy"/>).
    /// </summary>
    private async Task DropSharedCopyAsync()
    {
        LogMirrorDropped(GenerationId);
        await PersistAsync(async database =>
        {
            await database.KeyDeleteAsync([RedisGenerationKeys.Meta(GenerationId), RedisGenerationKeys.Events(GenerationId)]);
            return true;
        });
        // When Redis stays unreachable even longer, the copy expires on its own.
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId}: copying its buffer to Redis failed")]
    private partial void LogCopyFailed(Guid generationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: the shared copy of its buffer was dropped after a Redis failure")]
    private partial void LogMirrorDropped(Guid generationId);
}
