using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.UpdateInteraction;

/// <summary>
/// A rename marks the title as the user's own, so a model-made title that lands later never replaces it;
/// the summary title is left alone.
/// </summary>
public sealed class UpdateInteractionHandler(
    IInteractionRepository interactions, IUnitOfWork unitOfWork, IConversationCache cache, TimeProvider time)
    : ICommandHandler<UpdateInteractionCommand, InteractionDto>
{
    public async ValueTask<InteractionDto> Handle(UpdateInteractionCommand command, CancellationToken cancellationToken)
    {
        var interaction = await interactions.GetOwnedAsync(command.InteractionId, command.UserId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (command.Title is { } title) interaction.Rename(title, now);
        if (command.IsPinned is { } isPinned) interaction.Pin(isPinned, now);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await cache.InvalidateInteractionAsync(interaction.Id, cancellationToken);
        return InteractionDto.From(interaction);
    }
}
