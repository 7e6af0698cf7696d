namespace StudyGuru.Application.Abstractions;

/// <summary>
/// Makes the <c>file_url</c> of a media file: an absolute, expiring URL whose signature lets it work
/// without a bearer header (for <c>&lt;img&gt;</c> tags).
/// </summary>
public interface IMediaUrlSigner
{
    string CreateUrl(Guid mediaId);
}
