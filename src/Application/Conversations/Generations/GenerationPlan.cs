using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>Everything a started generation needs to run to its end on its own.</summary>
/// <param name="ResponseCacheKey">Null when the prompt must not be answered from (or stored in) the response cache.</param>
/// <param name="FallbackTitles">Set for a new thread: written with the first answer, whatever its outcome.</param>
/// <param name="TitleQuestion">The student's text, for the background title call after a completed first answer.</param>
/// <param name="Generation">The aggregate as it was started: it decides the settlement.</param>
public sealed record GenerationPlan(
    Generation Generation,
    ChatRequest Request,
    int InputEstimate,
    string? ResponseCacheKey,
    (string Title, string SummaryTitle)? FallbackTitles,
    string? TitleQuestion)
{
    public Guid GenerationId => Generation.Id;
    public Guid UserId => Generation.UserId;
    public Guid InteractionId => Generation.InteractionId;
}
