using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Media.GetMedia;

/// <summary>
/// The owner always gets their file. Anyone else needs a signed URL: a bad or expired signature is a
/// 403 (the link itself is the credential), an unknown or foreign id without one is a 404, as everywhere.
/// </summary>
public sealed partial class GetMediaHandler(
    IMediaRepository mediaFiles,
    IMediaStorage storage,
    IMediaUrlVerifier verifier,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<GetMediaHandler> logger) : IQueryHandler<GetMediaQuery, MediaContent>
{
    public async ValueTask<MediaContent> Handle(GetMediaQuery query, CancellationToken cancellationToken)
    {
        if (query.UserId is { } userId)
        {
            var owned = await mediaFiles.FindOwnedAsync([query.MediaId], userId, cancellationToken);
            if (owned.Count == 1) return Open(owned[0], TimeSpan.FromMinutes(options.Value.UrlLifetimeMinutes));
            if (query.Signature is null) throw new NotFoundException(NotFoundException.MediaMessage);
        }

        if (query.Signature is not { } signature)
            throw new UnauthorizedException("A bearer token or a signed media URL is required.");
        switch (verifier.Verify(query.MediaId, signature.ExpiresUnixSeconds, signature.Signature))
        {
            case SignedUrlCheck.Invalid:
                throw new ForbiddenException("The media link's signature is not valid.");
            case SignedUrlCheck.Expired:
                throw new ForbiddenException("The media link has expired; fetch the message or upload again for a fresh one.");
        }

        var media = await mediaFiles.FindAsync(query.MediaId, cancellationToken)
            ?? throw new NotFoundException(NotFoundException.MediaMessage);
        var remaining = DateTimeOffset.FromUnixTimeSeconds(signature.ExpiresUnixSeconds) - time.GetUtcNow();
        return Open(media, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }

    private MediaContent Open(MediaFile media, TimeSpan cacheFor)
    {
        try
        {
            return new MediaContent(media.FileType, media.Size, storage.OpenRead(media.StorageKey), cacheFor);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // A record whose bytes are gone (a storage volume not shared by every instance, a manual clean-up).
            LogMissingBytes(media.Id);
            throw new NotFoundException(NotFoundException.MediaMessage);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media {MediaId} has a record but no bytes in storage")]
    private partial void LogMissingBytes(Guid mediaId);
}
