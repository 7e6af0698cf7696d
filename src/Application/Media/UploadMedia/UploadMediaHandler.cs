using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Media.UploadMedia;

/// <summary>
/// Accepts an image after checking it completely, then stores the bytes and the record. The checks run
/// here, in the order docs/streaming-api.md, "Status codes", gives them (413, then 415, then other 400s, then 404), rather than
/// in a validator that would run before them all; nothing is written for a refused upload.
/// </summary>
public sealed partial class UploadMediaHandler(
    IMediaRepository mediaFiles,
    IInteractionRepository interactions,
    IMediaStorage storage,
    IUnitOfWork unitOfWork,
    IMediaUrlSigner urls,
    IImageInspector images,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<UploadMediaHandler> logger) : ICommandHandler<UploadMediaCommand, UploadedMediaDto>
{
    private const string FileField = "file";

    public async ValueTask<UploadedMediaDto> Handle(UploadMediaCommand command, CancellationToken cancellationToken)
    {
        if (command.File is not { } upload)
            throw RequestValidationException.For(FileField, "A file is required: send it as the multipart/form-data part 'file'.");
        var maxBytes = options.Value.MaxBytes;
        if (upload.Length > maxBytes) throw TooLarge(maxBytes);

        var bytes = await ReadAtMostAsync(upload.Content, maxBytes, cancellationToken);
        if (bytes.Length == 0) throw RequestValidationException.For(FileField, "The file is empty.");

        var detection = images.Inspect(bytes);
        if (detection.MediaType is not { } fileType)
        {
            LogRefused(command.UserId, bytes.Length);
            throw new UnsupportedMediaTypeException(detection.Refusal!);
        }

        var interactionId = await OwnedInteractionAsync(command, cancellationToken);
        var media = MediaFile.Upload(command.UserId, interactionId, fileType, bytes.Length, time.GetUtcNow().UtcDateTime);
        await storage.SaveAsync(media.StorageKey, new MemoryStream(bytes, writable: false), cancellationToken);
        try
        {
            mediaFiles.Add(media);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // Bytes without a record could never be reached or deleted again.
            await storage.DeleteAsync(media.StorageKey, CancellationToken.None);
            throw;
        }

        LogUploaded(media.Id, command.UserId, fileType, bytes.Length);
        return new UploadedMediaDto(media.Id, urls.CreateUrl(media.Id), fileType, bytes.Length);
    }

    private async Task<Guid?> OwnedInteractionAsync(UploadMediaCommand command, CancellationToken cancellationToken)
    {
        if (command.InteractionId is null) return null;
        if (!Guid.TryParse(command.InteractionId, out var interactionId))
            throw RequestValidationException.For("interaction_id", "'interaction_id' must be a UUID.");
        _ = await interactions.FindOwnedAsync(interactionId, command.UserId, cancellationToken)
            ?? throw new NotFoundException(NotFoundException.InteractionMessage);
        return interactionId;
    }

    /// <summary>Reads the whole part, but never more than the limit: the declared length is the client's word.</summary>
    private static async Task<byte[]> ReadAtMostAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static PayloadTooLargeException TooLarge(long maxBytes) => new($"Files are limited to {maxBytes} bytes.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} uploaded by {UserId}: {FileType}, {Size} bytes")]
    private partial void LogUploaded(Guid mediaId, Guid userId, string fileType, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload by {UserId} refused: {Size} bytes are not a supported image")]
    private partial void LogRefused(Guid userId, long size);
}
