using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Media.Images;

namespace StudyGuru.Infrastructure.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Media bytes in a folder (<c>Media:Root</c>), the image structure checks, and signed, expiring media URLs.</summary>
    public static IServiceCollection AddMediaStorage(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<IMediaStorage, FileSystemMediaStorage>();
        services.AddSingleton<IImageInspector, ImageFormatDetector>();
        services.AddSingleton(sp => new ImageBytesBudget(sp.GetRequiredService<IOptions<MediaOptions>>().Value.ModelImageBudgetBytes));
        services.AddSingleton<ModelImageLoader>();
        services.AddSingleton<HmacMediaUrlSigner>();
        services.AddSingleton<IMediaUrlSigner>(sp => sp.GetRequiredService<HmacMediaUrlSigner>());
        services.AddSingleton<IMediaUrlVerifier>(sp => sp.GetRequiredService<HmacMediaUrlSigner>());
        return services;
    }
}
