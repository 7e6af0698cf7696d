namespace StudyGuru.Application.Abstractions;

/// <summary>
/// Caches for the hot path of a conversation: who owns an interaction, its history window, and
/// answers to identical prompts. Redis when configured (shared, invalidated on every instance),
/// memory otherwise. A cache failure is a miss, never an error.
/// </summary>
public interface IConversationCache
{
    ValueTask<Guid?> GetOwnerAsync(Guid interactionId, CancellationToken cancellationToken);
    ValueTask SetOwnerAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<ChatTurn>?> GetHistoryAsync(Guid interactionId, CancellationToken cancellationToken);
    ValueTask SetHistoryAsync(Guid interactionId, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken);

    /// <summary>Forgets the ownership and history of an interaction, on every instance.</summary>
    ValueTask InvalidateInteractionAsync(Guid interactionId, CancellationToken cancellationToken);

    ValueTask<CachedResponse?> GetResponseAsync(string promptKey, CancellationToken cancellationToken);
    ValueTask SetResponseAsync(string promptKey, CachedResponse response, CancellationToken cancellationToken);
}

/// <summary>An answer that ended with <c>stop</c>, kept with its token pieces and counts.</summary>
public sealed record CachedResponse(IReadOnlyList<string> Tokens, int InputTokens, int OutputTokens);
