using StudyGuru.Domain.Common;

namespace StudyGuru.Domain.Interactions;

/// <summary>A thread between a student and the tutor.</summary>
public sealed class Interaction
{
    public const int FallbackTitleLength = 40;
    public const string ImageOnlyTitle = "Image question";

    private Interaction() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string? Title { get; private set; }
    public string? SummaryTitle { get; private set; }
    public bool IsPinned { get; private set; }
    /// <summary>Set while a generation runs; claimed with an atomic conditional update so there is one at a time.</summary>
    public Guid? ActiveGenerationId { get; private set; }
    /// <summary>True once the student renamed the thread: generated titles never overwrite a rename.</summary>
    public bool TitleSetByUser { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime LastMessageAt { get; private set; }
    /// <summary>The id an AI SDK client chose for this thread (unique per user), so that the same chat id
    /// always reaches the same thread; null for threads started elsewhere.</summary>
    public string? ChatId { get; private set; }

    public static Interaction Start(Guid userId, DateTime now, string? chatId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = userId,
        ChatId = chatId,
        CreatedAt = now,
        UpdatedAt = now,
        LastMessageAt = now,
    };

    public void Rename(string title, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new DomainRuleException("A title cannot be blank.");
        Title = title.Trim();
        TitleSetByUser = true;
        UpdatedAt = now;
    }

    public void Pin(bool isPinned, DateTime now)
    {
        IsPinned = isPinned;
        UpdatedAt = now;
    }

    /// <summary>The title a new thread gets with its first answer, before any model-made title.</summary>
    public static (string Title, string SummaryTitle) FallbackTitles(string? message)
    {
        var text = string.Join(' ', (message ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var title = text.Length == 0
            ? ImageOnlyTitle
            : text.Length <= FallbackTitleLength ? text : text[..FallbackTitleLength].TrimEnd();
        return (title, $"Help with {title.ToLowerInvariant()}");
    }
}
