namespace StudyGuru.Application.Common.Errors;

/// <summary>429, with the numbers of the limit that refused.</summary>
public sealed class RateLimitedException(string message, int limit, int remaining, TimeSpan retryAfter) : Exception(message)
{
    public int Limit { get; } = limit;
    public int Remaining { get; } = remaining;
    public TimeSpan RetryAfter { get; } = retryAfter;
}
