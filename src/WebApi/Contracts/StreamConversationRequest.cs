namespace StudyGuru.WebApi.Contracts;

/// <summary>Body of POST /api/stream/stream-conversation (snake_case on the wire; null is accepted for every field).</summary>
/// <param name="InteractionId">An existing thread of the caller; omit to start a new one.</param>
/// <param name="Message">The question, up to 8,000 characters. May be empty when media files are attached.</param>
/// <param name="MediaFiles">Up to 5 of the caller's uploaded images.</param>
/// <param name="MaxTokens">Answer limit, 1..20,000; defaults to Ai:DefaultMaxTokens (1000).</param>
/// <param name="ClientMessageId">Acts as an idempotency key when the Idempotency-Key header is absent.</param>
public sealed record StreamConversationRequest(
    string? InteractionId = null,
    string? Message = null,
    IReadOnlyList<MediaFileRequest>? MediaFiles = null,
    int? MaxTokens = null,
    string? ClientMessageId = null);

/// <param name="Id">The media_id returned by POST /api/media.</param>
/// <param name="Url">Informational only: the server never fetches it.</param>
public sealed record MediaFileRequest(string? Id = null, string? Url = null);
