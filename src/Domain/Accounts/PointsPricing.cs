namespace StudyGuru.Domain.Accounts;

/// <summary>What tokens cost (docs/domain-rules.md, "Points"): 100 tokens are one point.</summary>
public static class PointsPricing
{
    public const int TokensPerPoint = 100;

    /// <summary>An answer with at least one token costs <c>max(1, tokens_used / 100)</c>; an empty one costs nothing.</summary>
    public static int Price(int tokensUsed, int outputTokens) =>
        outputTokens > 0 ? Math.Max(1, tokensUsed / TokensPerPoint) : 0;
}
