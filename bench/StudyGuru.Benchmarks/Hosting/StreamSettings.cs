namespace StudyGuru.Benchmarks.Hosting;

/// <summary>How the answers of a scenario are produced: the offline model's pace and length, and the requested limit.</summary>
/// <param name="TokenDelayMs">Ai:Offline:TokenDelayMs, and the baseline's delay before each token.</param>
/// <param name="AnswerWords">Ai:Offline:AnswerWords: one token event per word.</param>
/// <param name="MaxTokens">max_tokens of each request; above the answer's length so no answer is cut.</param>
public sealed record StreamSettings(int TokenDelayMs, int AnswerWords, int MaxTokens);
