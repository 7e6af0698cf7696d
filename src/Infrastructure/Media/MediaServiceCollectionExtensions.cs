using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Media bytes in a folder (<c>Media:Root</c>) and signed, expiring media URLs.</summary>
    public static IServiceCollection AddMediaStorage(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<IMediaStorage, FileSystemMediaStorage>();
        services.AddSingleton<HmacMediaUrlSigner>();
        services.AddSingleton<IMediaUrlSigner>(sp => sp.GetRequiredService<HmacMediaUrlSigner>());
        services.AddSingleton<IMediaUrlVerifier>(sp => sp.GetRequiredService<HmacMediaUrlSigner>());
        return services;
    }
}
