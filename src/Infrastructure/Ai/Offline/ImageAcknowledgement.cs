using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>"I received 2 images (PNG, JPEG)."</summary>
internal static class ImageAcknowledgement
{
    public static string Write(IReadOnlyList<ChatImage> images)
    {
        var types = images.Select(image => TypeName(image.MediaType)).Distinct(StringComparer.Ordinal);
        var noun = images.Count == 1 ? "image" : "images";
        return $"I received {images.Count} {noun} ({string.Join(", ", types)}).";
    }

    /// <summary>"image/png" → "PNG"; anything unexpected keeps its subtype in capitals.</summary>
    private static string TypeName(string mediaType)
    {
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        var subtype = slash >= 0 ? mediaType[(slash + 1)..] : mediaType;
        return subtype.Trim().ToUpperInvariant() switch
        {
            "" => "UNKNOWN",
            "JPG" => "JPEG",
            var name => name,
        };
    }
}
