using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// Buffers that every instance can read: the owner keeps its generations in memory and mirrors them to
/// Redis; a generation owned elsewhere is read from Redis. While Redis is down, only local buffers exist.
/// </summary>
internal sealed class RedisGenerationBufferStore(
    InMemoryGenerationBufferStore local,
    RedisConnection redis,
    IOptions<StreamingOptions> streaming,
    ILogger<RedisGenerationBufferStore> logger) : IGenerationBufferStore
{
    public IGenerationBuffer Create(Guid generationId, Guid userId, GenerationFormat format)
    {
        var options = streaming.Value;
        var keepAfterEnd = KeepAfterEnd(options);
        // Long enough for the slowest generation plus a sweep after a crash; the end shortens it.
        var keepWhileRunning = TimeSpan.FromSeconds(options.MaxDurationSeconds) + keepAfterEnd + TimeSpan.FromMinutes(5);
        // Redis down now: this generation lives in local memory only, like every generation without Redis.
        return redis.UseOrFallBack<IGenerationBuffer>(
            _ => new MirroredGenerationBuffer(local.CreateLocal(generationId, userId, format, publishExplicitly: true),
                redis, keepAfterEnd, keepWhileRunning, logger),
            () => local.Create(generationId, userId, format));
    }

    public async ValueTask<IGenerationBuffer?> FindAsync(Guid generationId, CancellationToken cancellationToken)
    {
        if (await local.FindAsync(generationId, cancellationToken) is { } here) return here;
        // While Redis cannot say, a generation owned elsewhere is unknown here.
        return await redis.RunOrFallBackAsync<IGenerationBuffer?>(
            async database =>
            {
                var meta = await database.HashGetAsync(RedisGenerationKeys.Meta(generationId), ["user", "format"]);
                if (meta[0].IsNull || !Guid.TryParse(meta[0].ToString(), out var userId)
                    || !Enum.TryParse<GenerationFormat>(meta[1].ToString(), out var format))
                    return null;
                return new RedisGenerationBuffer(redis, generationId, userId, format, KeepAfterEnd(streaming.Value));
            },
            static () => null);
    }

    /// <summary>The buffer TTL after the end; at least a second, since Redis takes whole seconds.</summary>
    private static TimeSpan KeepAfterEnd(StreamingOptions options) =>
        TimeSpan.FromSeconds(Math.Max(1, options.BufferTtlMinutes * 60));
}
