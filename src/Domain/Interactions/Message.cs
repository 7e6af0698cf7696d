using StudyGuru.Domain.Common;

namespace StudyGuru.Domain.Interactions;

/// <summary>One turn of a thread. The user's turn is saved before generation starts; the assistant's
/// turn is saved with whatever was produced, whatever the outcome.</summary>
public sealed class Message
{
    private readonly List<MessageMedia> _media = [];

    private Message() { }

    public Guid Id { get; private set; }
    public Guid InteractionId { get; private set; }
    public MessageRole Role { get; private set; }
    public string Content { get; private set; } = "";
    public MessageStatus Status { get; private set; }
    public int InputTokens { get; private set; }
    public int OutputTokens { get; private set; }
    public int TokensUsed { get; private set; }
    public int PointsCost { get; private set; }
    public string? ErrorMessage { get; private set; }
    public Guid? GenerationId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public IReadOnlyList<MessageMedia> Media => _media;

    public static Message FromUser(Guid interactionId, string content, IEnumerable<(Guid Id, string FileType)> media, DateTime now)
    {
        var message = new Message
        {
            Id = Guid.CreateVersion7(),
            InteractionId = interactionId,
            Role = MessageRole.User,
            Content = content,
            Status = MessageStatus.Completed,
            CreatedAt = now,
        };
        foreach (var (id, fileType) in media) message._media.Add(MessageMedia.Link(message.Id, id, fileType));
        return message;
    }

    /// <summary>The assistant's answer, recorded once the generation has ended.</summary>
    public static Message FromAssistant(Guid interactionId, Guid generationId, GenerationOutcome outcome, DateTime now)
    {
        if (outcome.Status == MessageStatus.Processing)
            throw new DomainRuleException("An answer is recorded only when its generation has ended.");
        return new Message
        {
            Id = Guid.CreateVersion7(),
            InteractionId = interactionId,
            GenerationId = generationId,
            Role = MessageRole.Assistant,
            Content = outcome.Content,
            Status = outcome.Status,
            InputTokens = outcome.InputTokens,
            OutputTokens = outcome.OutputTokens,
            TokensUsed = outcome.InputTokens + outcome.OutputTokens,
            PointsCost = outcome.PointsCharged,
            ErrorMessage = outcome.ErrorMessage,
            CreatedAt = now,
        };
    }
}
