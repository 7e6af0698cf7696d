using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Abstractions;

public interface IInteractionRepository
{
    /// <summary>The interaction if it exists and belongs to <paramref name="userId"/>, tracked for changes; otherwise null.</summary>
    Task<Interaction?> FindOwnedAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Pinned first, then by last message, newest first.</summary>
    Task<Page<Interaction>> ListAsync(Guid userId, int page, int size, CancellationToken cancellationToken);

    Task<bool> HasMessagesAsync(Guid interactionId, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="count"/> messages, oldest first, with their media links.</summary>
    Task<IReadOnlyList<Message>> GetRecentMessagesAsync(Guid interactionId, int count, CancellationToken cancellationToken);

    /// <summary>Newest first, with their media links.</summary>
    Task<Page<Message>> ListMessagesAsync(Guid interactionId, int limit, int offset, CancellationToken cancellationToken);

    /// <summary>Deletes the interaction, its messages, its generations and the media used only there.
    /// Returns the storage keys of the media files removed, so their bytes can be deleted too.</summary>
    Task<IReadOnlyList<string>> DeleteAsync(Guid interactionId, CancellationToken cancellationToken);

    /// <summary>Replaces both titles unless the user renamed the thread meanwhile. True when applied.</summary>
    Task<bool> TrySetGeneratedTitlesAsync(Guid interactionId, string title, string summaryTitle, DateTime now, CancellationToken cancellationToken);
}
