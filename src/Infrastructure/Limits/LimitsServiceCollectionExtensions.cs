using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Limits;

internal static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGenerationLimiter"/> and <see cref="IAuthAttemptLimiter"/>: in Redis (shared by
    /// every instance, with a memory fallback) or in memory, as
    /// <see cref="Redis.RedisOrMemoryServiceCollectionExtensions.AddRedisOrMemory"/> decided.
    /// </summary>
    internal static IServiceCollection AddLimits(this IServiceCollection services, bool useRedis)
    {
        if (useRedis)
        {
            services.AddSingleton<IGenerationLimiter, RedisGenerationLimiter>();
            services.AddSingleton<IAuthAttemptLimiter, RedisAuthAttemptLimiter>();
        }
        else
        {
            services.AddSingleton<IGenerationLimiter, MemoryGenerationLimiter>();
            services.AddSingleton<IAuthAttemptLimiter, MemoryAuthAttemptLimiter>();
        }

        return services;
    }
}
