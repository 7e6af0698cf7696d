using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

public static class StreamingServiceCollectionExtensions
{
    /// <summary>
    /// With Redis, generations' buffers are shared (any instance serves a resume), stop requests reach the
    /// owning instance, and readers elsewhere keep a generation alive. Without Redis the Application's
    /// in-process defaults stay.
    /// </summary>
    public static IServiceCollection AddSharedStreaming(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(RedisConnection))) return services;
        services.AddSingleton<IGenerationBufferStore, RedisGenerationBufferStore>();
        services.AddSingleton<IGenerationSignals, RedisGenerationSignals>();
        services.AddHostedService<GenerationStopListener>();
        return services;
    }
}
