using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace StudyGuru.Application.Common.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds every settings class to its configuration section, once and only here: the layers read them as
    /// <c>IOptions&lt;T&gt;</c> and never bind them again (docs/architecture.md, "Composition").
    /// </summary>
    public static IServiceCollection AddSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<AiOptions>(configuration.GetSection(AiOptions.Section));
        services.Configure<PointsOptions>(configuration.GetSection(PointsOptions.Section));
        services.Configure<StreamingOptions>(configuration.GetSection(StreamingOptions.Section));
        services.Configure<LimitsOptions>(configuration.GetSection(LimitsOptions.Section));
        services.Configure<MediaOptions>(configuration.GetSection(MediaOptions.Section));
        services.Configure<JwtOptions>(configuration.GetSection(JwtOptions.Section));
        return services;
    }
}
