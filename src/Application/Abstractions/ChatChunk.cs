namespace StudyGuru.Application.Abstractions;

/// <summary>One piece of a streamed answer: text, the provider's finish reason, or its usage report.</summary>
public readonly record struct ChatChunk(string? Text, string? FinishReason = null, ChatUsage? Usage = null)
{
    public static ChatChunk FromText(string text) => new(text);
}

/// <summary>Token counts as the provider reported them.</summary>
public sealed record ChatUsage(int InputTokens, int OutputTokens);
