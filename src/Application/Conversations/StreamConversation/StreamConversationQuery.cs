using Mediator;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// A student's question: starts a generation and streams its events. Ids arrive as the client sent
/// them (strings) so that a malformed one is a validation error naming the field.
/// </summary>
/// <param name="ChatId">An AI SDK chat id, remembered on the thread that this request creates.</param>
/// <param name="AnswerAgain">The thread's last question, already saved, to answer again (the AI SDK's
/// regenerate): it is not saved twice, and its earlier answers become superseded when the new one starts.</param>
/// <param name="RequestHash">The caller's own fingerprint of the request as sent, when the fields here are
/// derived from it (e.g. media ids of images that arrived inline).</param>
public sealed record StreamConversationQuery(
    Guid UserId,
    string? InteractionId,
    string? Message,
    IReadOnlyList<MediaFileInput>? MediaFiles,
    int? MaxTokens,
    GenerationFormat Format,
    string? IdempotencyKey = null,
    string? ChatId = null,
    Guid? AnswerAgain = null,
    string? RequestHash = null) : IStreamQuery<GenerationEvent>;

/// <param name="Url">Informational only: the server never fetches a URL a client sent.</param>
public sealed record MediaFileInput(string? Id, string? Url = null);
