using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// The owner's buffer: local memory for its own readers (no network on the per-token path), copied in
/// order to the Redis buffer by a background writer so that any instance can serve a resume. If a copy
/// fails the shared buffer is dropped rather than left with a gap; readers elsewhere then fall back to
/// the database replay once the generation ended.
/// </summary>
internal sealed partial class MirroredGenerationBuffer : IGenerationBuffer
{
    private readonly IGenerationBuffer _local;
    private readonly RedisConnection _redis;
    private readonly RedisGenerationBuffer _shared;
    private readonly TimeSpan _keepWhileRunning;
    private readonly ILogger _logger;
    private readonly Channel<ConversationEvent> _pending = Channel.CreateUnbounded<ConversationEvent>(new UnboundedChannelOptions { SingleReader = true });
    private bool _broken;

    public MirroredGenerationBuffer(IGenerationBuffer local, RedisConnection redis, TimeSpan keepAfterEnd, TimeSpan keepWhileRunning, ILogger logger)
    {
        _local = local;
        _redis = redis;
        _shared = new RedisGenerationBuffer(redis, local.GenerationId, local.UserId, local.Format, keepAfterEnd);
        _keepWhileRunning = keepWhileRunning;
        _logger = logger;
        _ = Task.Run(CopyAsync);
    }

    public Guid GenerationId => _local.GenerationId;
    public Guid UserId => _local.UserId;
    public GenerationFormat Format => _local.Format;

    public async ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        var sequence = await _local.AppendAsync(@event, cancellationToken);
        if (sequence is not null) _pending.Writer.TryWrite(@event);
        if (@event.IsTerminal) _pending.Writer.TryComplete();
        return sequence;
    }

    public IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, CancellationToken cancellationToken) =>
        _local.ReadAsync(afterSequence, cancellationToken);

    public ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken) => _local.GetTerminalSequenceAsync(cancellationToken);
    public ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken) => _local.GetLastSequenceAsync(cancellationToken);
    public ValueTask<string> GetContentAsync(CancellationToken cancellationToken) => _local.GetContentAsync(cancellationToken);

    private async Task CopyAsync()
    {
        try
        {
            var database = _redis.TryGetDatabase();
            if (database is null)
            {
                _broken = true;
            }
            else
            {
                var meta = RedisGenerationKeys.Meta(GenerationId);
                await database.HashSetAsync(meta,
                    [new("user", UserId.ToString()), new("format", Format.ToString()), new("last", 0)]);
                await database.KeyExpireAsync(meta, _keepWhileRunning);
                await database.KeyExpireAsync(RedisGenerationKeys.Events(GenerationId), _keepWhileRunning);
            }
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            _redis.ReportFailure(exception);
            _broken = true;
        }

        await foreach (var @event in _pending.Reader.ReadAllAsync())
        {
            if (_broken) continue;
            try
            {
                if (await _shared.AppendAsync(@event, CancellationToken.None) is null) _broken = true;
                // The events key exists only after the first XADD: give it the running expiry too.
                else if (_redis.TryGetDatabase() is { } database && @event is MetadataEvent)
                    await database.KeyExpireAsync(RedisGenerationKeys.Events(GenerationId), _keepWhileRunning);
            }
            catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
            {
                _redis.ReportFailure(exception);
                _broken = true;
                await DropSharedCopyAsync();
            }
        }
    }

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
