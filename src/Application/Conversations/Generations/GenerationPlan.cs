using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>Everything a started generation needs to run to its end on its own.</summary>
/// <param name="FirstEventJson">The stored form of the metadata event, kept for replays from the database.</param>
/// <param name="ResponseCacheKey">Null when the prompt must not be answered from (or stored in) the response cache.</param>
/// <param name="FallbackTitles">Set for a new thread: written with the first answer, whatever its outcome.</param>
/// <param name="TitleQuestion">The student's text, for the background title call after a completed first answer.</param>
public sealed record GenerationPlan(
    Guid GenerationId,
    Guid UserId,
    Guid InteractionId,
    ChatRequest Request,
    int InputEstimate,
    int ReservedPoints,
    string FirstEventJson,
    string? ResponseCacheKey,
    (string Title, string SummaryTitle)? FallbackTitles,
    string? TitleQuestion);
