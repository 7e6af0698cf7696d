using System.Text.Json;
using System.Text.Json.Serialization;
using StudyGuru.Application.Chat.SendChatMessage;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// The body the AI SDK's <c>DefaultChatTransport</c> sends, in its own (camelCase) names. Fields the client
/// adds through the transport's <c>body</c> option are accepted and ignored. Of <c>messages</c> only the last
/// one is read: earlier ones may hold anything a UI message can, and the history comes from the server.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record ChatRequestBody(
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("messages")] IReadOnlyList<JsonElement>? Messages = null,
    [property: JsonPropertyName("trigger")] string? Trigger = null,
    [property: JsonPropertyName("messageId")] string? MessageId = null)
{
    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The last message as the use case reads it; null when there is none. A last message that is not
    /// a UI message (wrong types) is a 400.</summary>
    public ChatMessageInput? LastMessage()
    {
        if (Messages is not { Count: > 0 } messages) return null;
        UiMessageBody? message;
        try
        {
            message = messages[^1].Deserialize<UiMessageBody>(MessageJson);
        }
        catch (JsonException)
        {
            throw RequestValidationException.For("messages", "The last message is not a UI message ({id, role, parts}).");
        }
        if (message is null) return null;
        return new ChatMessageInput(message.Id, message.Role,
            (message.Parts ?? []).OfType<UiMessagePartBody>().Select(p => new ChatPartInput(p.Type, p.Text, p.MediaType, p.Url)).ToList());
    }
}

/// <summary>A UI message: the fields the server reads.</summary>
public sealed record UiMessageBody(
    [property: JsonPropertyName("id")] string? Id = null,
    [property: JsonPropertyName("role")] string? Role = null,
    [property: JsonPropertyName("parts")] IReadOnlyList<UiMessagePartBody>? Parts = null);

/// <summary>A part of a UI message: <c>text</c> parts are joined into the question, <c>file</c> parts are
/// images as <c>data:</c> URLs; other part types are ignored.</summary>
public sealed record UiMessagePartBody(
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("mediaType")] string? MediaType = null,
    [property: JsonPropertyName("url")] string? Url = null);
