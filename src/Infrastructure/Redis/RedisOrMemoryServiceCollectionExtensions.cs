using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.Redis;

public static class RedisOrMemoryServiceCollectionExtensions
{
    /// <summary>The configuration key whose presence puts the shared state in Redis.</summary>
    public const string RedisConfigurationKey = "Redis:Configuration";

    /// <summary>
    /// Decides, in this one place, where the state shared between instances lives: the conversation caches,
    /// the limits, and generations' buffers and signals. With <c>Redis:Configuration</c> set: one
    /// <see cref="RedisConnection"/> for all of them (each falls back to memory through it while Redis is down)
    /// and the "redis" readiness check, tagged "ready". Without it: memory in this process.
    /// </summary>
    public static IServiceCollection AddRedisOrMemory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var useRedis = services.AddRedisConnection(configuration[RedisConfigurationKey]);
        services.AddConversationCaching(useRedis);
        services.AddSharedStreaming(useRedis);
        services.AddLimits(useRedis);
        return services;
    }

    /// <summary>Registers the connection and its readiness check when Redis is configured; true when it is.</summary>
    internal static bool AddRedisConnection(this IServiceCollection services, string? redisConfiguration)
    {
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            return false;
        }

        services.AddSingleton(provider => new RedisConnection(
            redisConfiguration,
            provider.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        return true;
    }
}
