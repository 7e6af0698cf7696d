namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Ai</c>.</summary>
public sealed class AiOptions
{
    public const string Section = "Ai";

    /// <summary><c>Offline</c> (default, no keys) or <c>OpenAI</c> (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = "Offline";
    /// <summary>Includes <c>/v1</c>, e.g. <c>http://localhost:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }
    /// <summary>How long to wait for the first token before ending with <c>timeout</c>.</summary>
    public int TimeoutSeconds { get; set; } = 60;
    /// <summary>Small on purpose: the worst case is reserved from the balance.</summary>
    public int DefaultMaxTokens { get; set; } = 1000;
    public int HistoryTokenBudget { get; set; } = 3000;
    public OfflineModelOptions Offline { get; set; } = new();

    public bool UsesOpenAI => string.Equals(Provider, "OpenAI", StringComparison.OrdinalIgnoreCase);
}

public sealed class OfflineModelOptions
{
    public int TokenDelayMs { get; set; } = 30;
    /// <summary>0 for natural length; N makes every answer exactly N words (benchmarks).</summary>
    public int AnswerWords { get; set; }
}
