using Mediator;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// A student's question: starts a generation and streams its events. Ids arrive as the client sent
/// them (strings) so that a malformed one is a validation error naming the field.
/// </summary>
public sealed record StreamConversationQuery(
    Guid UserId,
    string? InteractionId,
    string? Message,
    IReadOnlyList<MediaFileInput>? MediaFiles,
    int? MaxTokens,
    GenerationFormat Format,
    string? IdempotencyKey = null) : IStreamQuery<GenerationEvent>;

/// <param name="Url">Informational only: the server never fetches a URL a client sent.</param>
public sealed record MediaFileInput(string? Id, string? Url = null);
