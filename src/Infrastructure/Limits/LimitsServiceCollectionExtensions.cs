using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Limits;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGenerationLimiter"/> and <see cref="IAuthAttemptLimiter"/>: in Redis (shared by
    /// every instance, with a memory fallback) when a <see cref="RedisConnection"/> is registered — that is,
    /// when this runs after the caching registration with <c>Redis:Configuration</c> set — else in memory.
    /// </summary>
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Bound here as well (binding twice gives the same values) so that the limits can be registered on their own.
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section));
        services.AddOptions<PointsOptions>().Bind(configuration.GetSection(PointsOptions.Section));
        services.AddOptions<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        if (services.Any(descriptor => descriptor.ServiceType == typeof(RedisConnection)))
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
