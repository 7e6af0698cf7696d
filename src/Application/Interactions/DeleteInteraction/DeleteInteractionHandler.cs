using Mediator;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.DeleteInteraction;

/// <summary>
/// A running answer is stopped first. The repository returns its held points with the thread, so the
/// stopped generation finds its reservation gone when it settles and charges nothing.
/// </summary>
public sealed partial class DeleteInteractionHandler(
    IInteractionRepository interactions,
    IGenerationCanceller canceller,
    IMediaStorage mediaStorage,
    IConversationCache cache,
    ILogger<DeleteInteractionHandler> logger) : ICommandHandler<DeleteInteractionCommand>
{
    public async ValueTask<Unit> Handle(DeleteInteractionCommand command, CancellationToken cancellationToken)
    {
        var interaction = await interactions.GetOwnedAsync(command.InteractionId, command.UserId, cancellationToken);
        if (interaction.ActiveGenerationId is { } generationId)
            await canceller.CancelAsync(generationId, StopReason.UserRequested, cancellationToken);

        var storageKeys = await interactions.DeleteAsync(interaction.Id, cancellationToken);
        await cache.InvalidateInteractionAsync(interaction.Id, CancellationToken.None);
        foreach (var key in storageKeys) await DeleteBytesAsync(key);
        return Unit.Value;
    }

    /// <summary>The records are gone already: a file that cannot be removed now is only wasted space, not an error for the client.</summary>
    private async Task DeleteBytesAsync(string storageKey)
    {
        try
        {
            await mediaStorage.DeleteAsync(storageKey, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogMediaBytesNotDeleted(storageKey, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media bytes {StorageKey} of a deleted thread could not be removed")]
    private partial void LogMediaBytesNotDeleted(string storageKey, Exception exception);
}
