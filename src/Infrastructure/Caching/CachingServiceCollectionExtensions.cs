using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Caching;

public static class CachingServiceCollectionExtensions
{
    /// <summary>The configuration key whose presence switches the caches to Redis.</summary>
    public const string RedisConfigurationKey = "Redis:Configuration";

    /// <summary>
    /// Registers <see cref="IConversationCache"/>: Redis when <c>Redis:Configuration</c> is set,
    /// memory otherwise. With Redis it also registers the shared <see cref="RedisConnection"/>
    /// (for every other feature that needs Redis) and the "redis" readiness check, tagged "ready".
    /// </summary>
    public static IServiceCollection AddConversationCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var redisConfiguration = configuration[RedisConfigurationKey];
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            services.AddSingleton<IConversationCache, MemoryConversationCache>();
            return services;
        }

        services.AddSingleton(provider => new RedisConnection(
            redisConfiguration,
            provider.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<IConversationCache, RedisConversationCache>();
        services.AddHostedService<ConversationCacheWarmUp>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        return services;
    }
}
