using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Ai;
using StudyGuru.Infrastructure.Identity;
using StudyGuru.Infrastructure.Media;
using StudyGuru.Infrastructure.Persistence;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure;

public static class DependencyInjection
{
    /// <summary>The adapters: database, caches, model, identity, media storage and background sweeps.</summary>
    public static IServiceCollection AddInfrastructure(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddPersistence(configuration);
        services.AddRedisOrMemory(configuration);
        services.AddAi(configuration);

        services.AddSingleton(sp => new SigningKeyBytes(
            JwtSigningKey.Resolve(sp.GetRequiredService<IOptions<JwtOptions>>().Value, environment.IsDevelopment())));
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();

        services.AddMediaStorage();

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, tags: ["ready"]);
        return services;
    }
}
