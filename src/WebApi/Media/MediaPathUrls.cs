using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.Media;

/// <summary>
/// Stands in for the signed media URLs until the media endpoints are composed into this app: the owner's
/// path of the file, which needs the bearer header. Registered only when no real signer is.
/// </summary>
public sealed class MediaPathUrls : IMediaUrlSigner
{
    public string CreateUrl(Guid mediaId) => $"/api/media/{mediaId}";
}
