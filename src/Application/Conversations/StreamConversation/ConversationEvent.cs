using System.Text.Json.Serialization;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// What a generation emits, in order: one <see cref="MetadataEvent"/>, zero or more <see cref="TokenEvent"/>s,
/// then exactly one terminal event (<see cref="CompleteEvent"/> or <see cref="ErrorEvent"/>).
/// The wire format (snake_case JSON, the simplified stream-simple shapes) is written by the WebApi;
/// the polymorphic attributes here are for storing events (buffers, replay from the database).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(MetadataEvent), "metadata")]
[JsonDerivedType(typeof(TokenEvent), "token")]
[JsonDerivedType(typeof(CompleteEvent), "complete")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
public abstract record ConversationEvent(DateTimeOffset Timestamp)
{
    [JsonIgnore]
    public virtual bool IsTerminal => false;
}

public sealed record MetadataEvent(
    Guid InteractionId,
    bool IsNewInteraction,
    Guid UserId,
    Guid GenerationId,
    int MaxTokens,
    int ReservedPoints,
    DateTimeOffset Timestamp) : ConversationEvent(Timestamp);

public sealed record TokenEvent(string Content, DateTimeOffset Timestamp) : ConversationEvent(Timestamp);

public sealed record CompleteEvent(
    string Content,
    int TokensUsed,
    int PointsCost,
    int InputTokens,
    int OutputTokens,
    int PointsBalance,
    string FinishReason,
    bool Cached,
    DateTimeOffset Timestamp) : ConversationEvent(Timestamp)
{
    public override bool IsTerminal => true;
}

public sealed record ErrorEvent(string Error, string Code, DateTimeOffset Timestamp) : ConversationEvent(Timestamp)
{
    public override bool IsTerminal => true;
}

public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string Cancelled = "cancelled";
}

/// <summary>Stable machine words of <see cref="ErrorEvent.Code"/>.</summary>
public static class ErrorCodes
{
    public const string ModelUnavailable = "model_unavailable";
    public const string ModelError = "model_error";
    public const string Cancelled = "cancelled";
    public const string Timeout = "timeout";
    public const string ShuttingDown = "shutting_down";
    public const string Internal = "internal";
}
