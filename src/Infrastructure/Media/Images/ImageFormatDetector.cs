using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Media.Images;

/// <summary>
/// Decides what an upload is from its bytes alone (never its name or declared type): the magic bytes
/// pick the format, then a walk over that format's structure refuses truncated or corrupt files, so
/// that the model is never sent something it cannot open.
/// </summary>
public sealed class ImageFormatDetector : IImageInspector
{
    public const string SupportedKinds = "PNG, JPEG, WebP or GIF";

    public ImageDetection Inspect(ReadOnlySpan<byte> bytes) => Detect(bytes);

    public static ImageDetection Detect(ReadOnlySpan<byte> bytes)
    {
        if (PngStructure.HasSignature(bytes))
            return Checked(PngStructure.IsWellFormed(bytes), PngStructure.MediaType, "PNG");
        if (JpegStructure.HasSignature(bytes))
            return Checked(JpegStructure.IsWellFormed(bytes), JpegStructure.MediaType, "JPEG");
        if (GifStructure.HasSignature(bytes))
            return Checked(GifStructure.IsWellFormed(bytes), GifStructure.MediaType, "GIF");
        if (WebPStructure.HasSignature(bytes))
            return Checked(WebPStructure.IsWellFormed(bytes), WebPStructure.MediaType, "WebP");
        return ImageDetection.Refused($"The file is not a {SupportedKinds} image.");
    }

    private static ImageDetection Checked(bool wellFormed, string mediaType, string name) =>
        wellFormed
            ? ImageDetection.Accepted(mediaType)
            : ImageDetection.Refused($"The file starts like a {name} image but is truncated or corrupt.");
}
