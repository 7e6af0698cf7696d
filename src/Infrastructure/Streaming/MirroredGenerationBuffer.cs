using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// The owner's buffer: local memory for its own readers (no network on the per-token path), copied in
/// order to the Redis buffer by a background writer so that any instance can serve a resume. A copy that
/// times out is retried (appends name their sequence, so a retry never duplicates); only when Redis stays
/// unreachable is the shared buffer dropped rather than left with a gap, and readers elsewhere then fall
/// back to the database replay once the generation ended.
/// </summary>
internal sealed partial class MirroredGenerationBuffer : IGenerationBuffer
{
    private readonly IGenerationBuffer _local;
    private readonly RedisConnection _redis;
    private readonly RedisGenerationBuffer _shared;
    private readonly TimeSpan _keepWhileRunning;
    private readonly ILogger _logger;
    /// <summary>How long one event's copy is retried before the shared buffer is given up.</summary>
    private static readonly TimeSpan CopyPersistence = TimeSpan.FromSeconds(15);

    private readonly Channel<(long Sequence, ConversationEvent Event)> _pending =
        Channel.CreateUnbounded<(long, ConversationEvent)>(new UnboundedChannelOptions { SingleReader = true });
    private bool _broken;

    public MirroredGenerationBuffer(IGenerationBuffer local, RedisConnection redis, TimeSpan keepAfterEnd, TimeSpan keepWhileRunning, ILogger logger)
    {
        _local = local;
        _redis = redis;
        _shared = new RedisGenerationBuffer(redis, local.GenerationId, local.UserId, local.Format, keepAfterEnd);
        _keepWhileRunning = keepWhileRunning;
        _logger = logger;
        _ = Task.Run(CopyAllAsync);
    }

    public Guid GenerationId => _local.GenerationId;
    public Guid UserId => _local.UserId;
    public GenerationFormat Format => _local.Format;

    public async ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        var sequence = await _local.AppendAsync(@event, cancellationToken);
        if (sequence is { } appended) _pending.Writer.TryWrite((appended, @event));
        if (@event.IsTerminal) _pending.Writer.TryComplete();
        return sequence;
    }

    public IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, CancellationToken cancellationToken) =>
        _local.ReadAsync(afterSequence, cancellationToken);

    public ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken) => _local.GetTerminalSequenceAsync(cancellationToken);
    public ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken) => _local.GetLastSequenceAsync(cancellationToken);
    public ValueTask<string> GetContentAsync(CancellationToken cancellationToken) => _local.GetContentAsync(cancellationToken);

    private async Task CopyAllAsync()
    {
        _broken = !await PersistAsync(CreateSharedAsync);
        await foreach (var (sequence, @event) in _pending.Reader.ReadAllAsync())
        {
            if (_broken) continue;
            if (!await PersistAsync(() => CopyOneAsync(sequence, @event)))
            {
                _broken = true;
                await DropSharedCopyAsync();
            }
        }
    }

    private async Task<bool> CreateSharedAsync()
    {
        var database = _redis.TryGetDatabase() ?? throw Unreachable();
        var meta = RedisGenerationKeys.Meta(GenerationId);
        await database.HashSetAsync(meta, [new("user", UserId.ToString()), new("format", Format.ToString()), new("last", 0)]);
        await database.KeyExpireAsync(meta, _keepWhileRunning);
        return true;
    }

    private async Task<bool> CopyOneAsync(long sequence, ConversationEvent @event)
    {
        if (await _shared.AppendAtAsync(@event, sequence) is null) return false;
        // The events key exists only after the first XADD: give it the running expiry too.
        if (@event is MetadataEvent && _redis.TryGetDatabase() is { } database)
            await database.KeyExpireAsync(RedisGenerationKeys.Events(GenerationId), _keepWhileRunning);
        return true;
    }

    /// <summary>Retries a copy step through Redis timeouts and short outages, for up to <see cref="CopyPersistence"/>.</summary>
    private async Task<bool> PersistAsync(Func<Task<bool>> step)
    {
        var deadline = DateTime.UtcNow + CopyPersistence;
        while (true)
        {
            try
            {
                return await step();
            }
            catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
            {
                if (exception is not RedisUnreachableException) _redis.ReportFailure(exception);
                if (DateTime.UtcNow > deadline) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    private static RedisUnreachableException Unreachable() => new();

    /// <summary>Redis is being skipped after a recent failure: wait, do not report it again.</summary>
    private sealed class RedisUnreachableException() : StackExchange.Redis.RedisException("Redis is not reachable right now.");

    private async Task DropSharedCopyAsync()
    {
        LogMirrorDropped(GenerationId);
        try
        {
            if (_redis.TryGetDatabase() is { } database)
                await database.KeyDeleteAsync([RedisGenerationKeys.Meta(GenerationId), RedisGenerationKeys.Events(GenerationId)]);
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Redis is down: its copy will expire on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: the shared copy of its buffer was dropped after a Redis failure")]
    private partial void LogMirrorDropped(Guid generationId);
}
