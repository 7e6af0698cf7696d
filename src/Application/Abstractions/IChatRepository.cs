using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Abstractions;

/// <summary>The look-ups of the AI SDK chat protocol: a chat id to its thread, the thread's last question and
/// latest ended answer, the messages a reloaded page restores, and what a failed answer cost.</summary>
public interface IChatRepository
{
    /// <summary>The thread a chat id names for <paramref name="userId"/>: an interaction id of theirs, or the
    /// chat id remembered on one of their threads.</summary>
    Task<ChatThreadLookup> FindThreadAsync(Guid userId, string chatId, CancellationToken cancellationToken);

    /// <summary>The thread's last question (with its media links), or null when it has none.</summary>
    Task<Message?> FindLastQuestionAsync(Guid interactionId, CancellationToken cancellationToken);

    /// <summary>The id of the thread's most recent generation that has ended, or null.</summary>
    Task<Guid?> FindLatestEndedGenerationAsync(Guid interactionId, CancellationToken cancellationToken);

    /// <summary>Every message a restored chat shows (no superseded or unfinished answers), oldest first, with media.</summary>
    Task<IReadOnlyList<Message>> ListRestorableMessagesAsync(Guid interactionId, CancellationToken cancellationToken);

    /// <summary>What the saved answer of a generation was charged, and the owner's balance now.</summary>
    Task<AnswerCharge?> FindChargeAsync(Guid generationId, CancellationToken cancellationToken);
}

public abstract record ChatThreadLookup
{
    public sealed record Found(Guid InteractionId, Guid? ActiveGenerationId) : ChatThreadLookup;
    /// <summary>The id is another user's interaction: a 404, never revealed as existing.</summary>
    public sealed record SomeoneElses : ChatThreadLookup;
    /// <summary>No thread yet: the chat's first message creates one.</summary>
    public sealed record None : ChatThreadLookup;
}

public sealed record AnswerCharge(int PointsCost, int PointsBalance);
