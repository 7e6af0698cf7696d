using Mediator;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Media.DeleteMedia;

/// <summary>The record goes first (the file is then unreachable), then the bytes.</summary>
public sealed partial class DeleteMediaHandler(
    IMediaRepository mediaFiles,
    IMediaStorage storage,
    ILogger<DeleteMediaHandler> logger) : ICommandHandler<DeleteMediaCommand>
{
    public async ValueTask<Unit> Handle(DeleteMediaCommand command, CancellationToken cancellationToken)
    {
        var owned = await mediaFiles.FindOwnedAsync([command.MediaId], command.UserId, cancellationToken);
        if (owned.Count == 0) throw new NotFoundException(NotFoundException.MediaMessage);
        var media = owned[0];

        await mediaFiles.DeleteAsync(media, cancellationToken);
        try
        {
            await storage.DeleteAsync(media.StorageKey, CancellationToken.None);
        }
        catch (IOException exception)
        {
            // The record is gone, so the answer is still 204; the leftover bytes can be swept by hand.
            LogBytesNotDeleted(media.Id, exception);
        }
        LogDeleted(media.Id, command.UserId);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} deleted by {UserId}")]
    private partial void LogDeleted(Guid mediaId, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media {MediaId} was deleted but its bytes could not be")]
    private partial void LogBytesNotDeleted(Guid mediaId, Exception exception);
}
