using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>How a generation ended, before it is priced and settled.</summary>
internal sealed record GenerationResult(
    MessageStatus Status,
    string Content,
    int OutputTokensCounted,
    Abstractions.ChatUsage? ProviderUsage,
    string? FinishReason,
    string? ErrorCode,
    string? ErrorMessage,
    bool Cached,
    IReadOnlyList<string>? Tokens,
    bool ChargeNothing = false);
