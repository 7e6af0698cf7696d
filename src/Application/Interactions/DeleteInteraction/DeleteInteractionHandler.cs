using Mediator;
using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.DeleteInteraction;

/// <summary>
/// A running answer is stopped like a cancel and settled (charged for the tokens it produced) before the
/// thread goes (docs/domain-rules.md, "Deleting a thread"). Only a claim whose owner cannot be reached
/// (its instance died) has its held points returned by the delete itself.
/// </summary>
public sealed partial class DeleteInteractionHandler(
    IInteractionRepository interactions,
    IGenerationRepository generations,
    IGenerationCanceller canceller,
    IMediaStorage mediaStorage,
    IConversationCache cache,
    ILogger<DeleteInteractionHandler> logger) : ICommandHandler<DeleteInteractionCommand>
{
    public async ValueTask<Unit> Handle(DeleteInteractionCommand command, CancellationToken cancellationToken)
    {
        var interaction = await interactions.GetOwnedAsync(command.InteractionId, command.UserId, cancellationToken);
        if (interaction.ActiveGenerationId is { } generationId
            && await canceller.CancelAsync(generationId, StopReason.UserRequested, cancellationToken))
            await WaitUntilSettledAsync(generationId, cancellationToken);

        var storageKeys = await interactions.DeleteAsync(interaction.Id, cancellationToken);
        await cache.InvalidateInteractionAsync(interaction.Id, CancellationToken.None);
        foreach (var key in storageKeys) await DeleteBytesAsync(key);
        return Unit.Value;
    }

    /// <summary>How long a stopped answer gets to settle; a stop takes effect at the next token, so this is generous.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(25);

    private async Task WaitUntilSettledAsync(Guid generationId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SettleWait;
        while (await generations.IsHeldAsync(generationId, cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                LogSettleWaitExpired(generationId);
                return;
            }
            await Task.Delay(SettlePoll, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId} did not settle in time; its thread is deleted with the held points returned")]
    private partial void LogSettleWaitExpired(Guid generationId);

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
