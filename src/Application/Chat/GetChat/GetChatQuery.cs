using System.Text.Json.Serialization;
using Mediator;

namespace StudyGuru.Application.Chat.GetChat;

/// <summary>A chat as the AI SDK's <c>useChat({ messages })</c> restores it after a reload.</summary>
public sealed record GetChatQuery(Guid UserId, string ChatId) : IQuery<ChatDto>;

public sealed record ChatDto(string Id, IReadOnlyList<ChatMessageDto> Messages);

/// <param name="Id">A question's own id; an answer's generation id (the <c>messageId</c> of its stream's <c>start</c>).</param>
/// <param name="Role">user or assistant.</param>
/// <param name="Metadata">An answer's status, tokens and cost; null for a question.</param>
public sealed record ChatMessageDto(
    string Id, string Role, IReadOnlyList<ChatPartDto> Parts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatAnswerMetadata? Metadata);

/// <summary>A UI message part: <c>text</c> (with <c>state: done</c>), <c>file</c> (a signed media URL) or <c>step-start</c>.
/// The AI SDK's names (camelCase) are kept, and absent fields are left out.</summary>
public sealed record ChatPartDto(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonPropertyName("state"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? State = null,
    [property: JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MediaType = null,
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null);

/// <param name="Status">completed, cancelled or failed.</param>
/// <param name="Error">Why a failed answer failed; null otherwise.</param>
public sealed record ChatAnswerMetadata(
    Guid InteractionId, Guid GenerationId, string Status, int TokensUsed, int PointsCost, int InputTokens, int OutputTokens, string? Error);
