namespace StudyGuru.Application.Abstractions;

/// <summary>Asks a real model for a short thread title; not charged to the student.</summary>
public interface ITitleGenerator
{
    /// <returns>The titles, or null when the model gave nothing usable.</returns>
    Task<GeneratedTitles?> GenerateAsync(string question, string answer, CancellationToken cancellationToken);
}

public sealed record GeneratedTitles(string Title, string SummaryTitle);
