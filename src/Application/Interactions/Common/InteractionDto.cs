using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Interactions.Common;

/// <param name="ActiveGenerationId">The running answer, if any: a reloaded page resumes it instead of asking again.</param>
public sealed record InteractionDto(
    Guid Id,
    string? Title,
    string? SummaryTitle,
    bool IsPinned,
    Guid? ActiveGenerationId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime LastMessageAt)
{
    public static InteractionDto From(Interaction interaction) => new(
        interaction.Id, interaction.Title, interaction.SummaryTitle, interaction.IsPinned, interaction.ActiveGenerationId,
        interaction.CreatedAt, interaction.UpdatedAt, interaction.LastMessageAt);
}
