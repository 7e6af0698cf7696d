namespace StudyGuru.Application.Abstractions;

/// <summary>Decides what an upload is from its bytes alone (never its name or declared type), refusing
/// truncated or corrupt files so that the model is never sent something it cannot open.</summary>
public interface IImageInspector
{
    ImageDetection Inspect(ReadOnlySpan<byte> bytes);
}

/// <summary>Either the MIME type of a well-formed image, or why the bytes were refused.</summary>
public sealed record ImageDetection(string? MediaType, string? Refusal)
{
    public static ImageDetection Accepted(string mediaType) => new(mediaType, null);
    public static ImageDetection Refused(string reason) => new(null, reason);
}
