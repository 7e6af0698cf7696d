using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

/// <summary>What one app instance holds: its own Redis connection and its own cache.</summary>
internal sealed class RedisCacheInstance : IAsyncDisposable
{
    private RedisCacheInstance(RedisConnection connection, RedisConversationCache cache)
    {
        Connection = connection;
        Cache = cache;
    }

    public RedisConnection Connection { get; }

    public RedisConversationCache Cache { get; }

    /// <summary>Creates an instance and waits for its first connection attempt and its subscription.</summary>
    public static async Task<RedisCacheInstance> StartAsync(
        string configuration,
        ILogger<RedisConnection>? connectionLogger = null,
        ILogger<RedisConversationCache>? cacheLogger = null)
    {
        var connection = new RedisConnection(configuration, connectionLogger ?? NullLogger<RedisConnection>.Instance);
        var cache = new RedisConversationCache(connection, cacheLogger ?? NullLogger<RedisConversationCache>.Instance);
        await connection.ConnectAsync();
        await cache.Subscribed;
        return new RedisCacheInstance(connection, cache);
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
