namespace StudyGuru.Domain.Interactions;

/// <summary>What a generation produced and what it cost, as recorded on the assistant message.</summary>
public sealed record GenerationOutcome(
    MessageStatus Status,
    string Content,
    int InputTokens,
    int OutputTokens,
    int PointsCharged,
    string? ErrorMessage);
