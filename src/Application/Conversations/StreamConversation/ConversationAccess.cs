using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>The thread a question goes to: the caller's own (someone else's is a 404), new or with messages.</summary>
/// <param name="Id">The existing interaction, or null when the question starts a new one.</param>
/// <param name="IsNew">No messages yet: the first answer names the thread (title) and says so in its first event.</param>
public sealed record ConversationTarget(Guid? Id, bool IsNew);

/// <summary>
/// Who may write to a thread and whether it is busy: the ownership check (through the owner cache) and the
/// 409 of a thread that already answers.
/// </summary>
public sealed class ConversationAccess(IInteractionRepository interactions, IConversationCache cache)
{
    public const string BusyMessage = "An answer is already being generated in this conversation.";

    /// <summary>The target of <paramref name="interactionId"/> (null: a new thread); 404 unless it is the caller's.</summary>
    public async Task<ConversationTarget> OpenAsync(string? interactionId, Guid userId, CancellationToken cancellationToken)
    {
        if (interactionId is null) return new ConversationTarget(null, IsNew: true);
        var id = Guid.Parse(interactionId);
        var owner = await cache.GetOwnerAsync(id, cancellationToken);
        if (owner is null)
        {
            var interaction = await interactions.FindOwnedAsync(id, userId, cancellationToken)
                ?? throw new NotFoundException(NotFoundException.InteractionMessage);
            await cache.SetOwnerAsync(interaction.Id, interaction.UserId, cancellationToken);
        }
        else if (owner != userId)
        {
            throw new NotFoundException(NotFoundException.InteractionMessage);
        }
        return new ConversationTarget(id, IsNew: !await interactions.HasMessagesAsync(id, cancellationToken));
    }

    /// <summary>409 when the thread already answers: a busy thread is reported before a limit (429) or the balance (402).</summary>
    public async Task ThrowIfBusyAsync(Guid? interactionId, Guid userId, CancellationToken cancellationToken)
    {
        if (interactionId is not { } id) return;
        var interaction = await interactions.FindOwnedAsync(id, userId, cancellationToken);
        if (interaction?.ActiveGenerationId is { } active)
            throw new ConflictException(BusyMessage, active);
    }

    /// <summary>Remembers a thread just created, so that its next question skips the ownership query.</summary>
    public ValueTask RememberOwnerAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken) =>
        cache.SetOwnerAsync(interactionId, userId, cancellationToken);
}
