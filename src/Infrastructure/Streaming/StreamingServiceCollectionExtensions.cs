using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

internal static class StreamingServiceCollectionExtensions
{
    /// <summary>
    /// Registers where generations' buffers and signals live, as
    /// <see cref="RedisOrMemoryServiceCollectionExtensions.AddRedisOrMemory"/> decided. With Redis, buffers are shared
    /// (any instance serves a resume), stop requests reach the owning instance, and readers elsewhere keep a
    /// generation alive. Without Redis, the in-process buffers and signals.
    /// </summary>
    internal static IServiceCollection AddSharedStreaming(this IServiceCollection services, bool useRedis)
    {
        // The memory buffers serve both cases: alone, or as the local copy (and fallback) behind Redis.
        services.AddSingleton<InMemoryGenerationBufferStore>();
        if (!useRedis)
        {
            services.AddSingleton<IGenerationBufferStore>(sp => sp.GetRequiredService<InMemoryGenerationBufferStore>());
            services.AddSingleton<IGenerationSignals, LocalGenerationSignals>();
            return services;
        }
        services.AddSingleton<IGenerationBufferStore, RedisGenerationBufferStore>();
        services.AddSingleton<IGenerationSignals, RedisGenerationSignals>();
        services.AddHostedService<GenerationStopListener>();
        return services;
    }
}
