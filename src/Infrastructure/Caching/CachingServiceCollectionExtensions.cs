using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Caching;

internal static class CachingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IConversationCache"/>: in Redis (warmed up at start) or in memory, as
    /// <see cref="Redis.RedisOrMemoryServiceCollectionExtensions.AddRedisOrMemory"/> decided.</summary>
    internal static IServiceCollection AddConversationCaching(this IServiceCollection services, bool useRedis)
    {
        if (!useRedis)
        {
            services.AddSingleton<IConversationCache, MemoryConversationCache>();
            return services;
        }

        services.AddSingleton<IConversationCache, RedisConversationCache>();
        services.AddHostedService<ConversationCacheWarmUp>();
        return services;
    }
}
