namespace StudyGuru.Domain.Generations;

/// <summary>
/// One answer being produced. Its id is stable for its whole life and prefixes every SSE event id.
/// Once it ends, its first and terminal events are kept here so that it can be replayed after the
/// live buffer has expired.
/// </summary>
public sealed class Generation
{
    private Generation() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid InteractionId { get; private set; }
    public Guid UserMessageId { get; private set; }
    public GenerationFormat Format { get; private set; }
    public int MaxTokens { get; private set; }
    public int ReservedPoints { get; private set; }
    /// <summary>Client-chosen key (Idempotency-Key or client_message_id), unique per user.</summary>
    public string? IdempotencyKey { get; private set; }
    /// <summary>Hash of the request fields as sent, to tell a retry from a different request under the same key.</summary>
    public string? RequestHash { get; private set; }
    public string? FirstEventJson { get; private set; }
    public string? TerminalEventJson { get; private set; }
    public long? TerminalSequence { get; private set; }
    public bool HasEnded { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }

    public static Generation Begin(
        Guid id, Guid userId, Guid interactionId, Guid userMessageId, GenerationFormat format,
        int maxTokens, int reservedPoints, string? idempotencyKey, string? requestHash, DateTime now,
        string? firstEventJson = null) => new()
    {
        Id = id,
        UserId = userId,
        InteractionId = interactionId,
        UserMessageId = userMessageId,
        Format = format,
        MaxTokens = maxTokens,
        ReservedPoints = reservedPoints,
        IdempotencyKey = idempotencyKey,
        RequestHash = requestHash,
        FirstEventJson = firstEventJson,
        CreatedAt = now,
    };
}
