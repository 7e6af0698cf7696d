using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Interactions.Common;

public static class OwnedInteractions
{
    /// <summary>The caller's interaction, tracked; another user's looks exactly like a missing one (404).</summary>
    public static async Task<Interaction> GetOwnedAsync(
        this IInteractionRepository interactions, Guid interactionId, Guid userId, CancellationToken cancellationToken) =>
        await interactions.FindOwnedAsync(interactionId, userId, cancellationToken)
            ?? throw new NotFoundException(NotFoundException.InteractionMessage);
}
