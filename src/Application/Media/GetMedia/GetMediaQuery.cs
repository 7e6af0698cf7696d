using Mediator;

namespace StudyGuru.Application.Media.GetMedia;

/// <summary>
/// A media file's bytes, for its owner (<see cref="UserId"/> from the bearer token) or for anyone
/// holding a valid signed URL (<see cref="Signature"/>), as an <c>&lt;img&gt;</c> tag does.
/// </summary>
public sealed record GetMediaQuery(Guid MediaId, Guid? UserId, MediaUrlSignature? Signature) : IQuery<MediaContent>;

/// <summary>The <c>expires</c> and <c>sig</c> query parameters of a signed URL.</summary>
public sealed record MediaUrlSignature(long ExpiresUnixSeconds, string Signature);

/// <param name="Content">Owned by the caller, who must dispose it.</param>
/// <param name="CacheFor">How long a browser may keep it: never past the signed URL's expiry.</param>
public sealed record MediaContent(string FileType, long Size, Stream Content, TimeSpan CacheFor);
