using Mediator;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Chat.SendChatMessage;

/// <summary>
/// A request of the AI SDK's chat transport: the chat id, the body's last message (the only one read: the
/// history comes from the server's own store), the trigger and the optional message id.
/// </summary>
public sealed record SendChatMessageQuery(
    Guid UserId,
    string? ChatId,
    ChatMessageInput? LastMessage,
    string? Trigger,
    string? MessageId) : IStreamQuery<GenerationEvent>;

/// <param name="Id">The client's id of the message: with the trigger and message id, the idempotency key.</param>
public sealed record ChatMessageInput(string? Id, string? Role, IReadOnlyList<ChatPartInput> Parts);

/// <param name="Type">text, file, or any other part type (ignored).</param>
/// <param name="Url">For a file: a data: URL, or one of this server's signed media URLs.</param>
public sealed record ChatPartInput(string? Type, string? Text, string? MediaType, string? Url);

public static class ChatTriggers
{
    public const string SubmitMessage = "submit-message";
    public const string RegenerateMessage = "regenerate-message";
}
