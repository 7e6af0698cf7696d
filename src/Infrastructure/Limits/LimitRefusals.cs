using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>The 429s of the limiters, worded for the student; the numbers are those of the limit that refused.</summary>
internal static class LimitRefusals
{
    public static RateLimitedException TooManyRunning(int limit) => new(
        $"You already have {limit} answers being written. Wait for one to finish, then ask again.",
        limit, 0, GenerationLimitRules.RunningRetryAfter);

    public static RateLimitedException TooManyPerMinute(int limit, TimeSpan retryAfter) => new(
        $"You asked {limit} questions in the last minute. Please wait a moment before asking again.",
        limit, 0, AtLeastOneSecond(retryAfter));

    public static RateLimitedException TooManyAuthAttempts(int limit, TimeSpan retryAfter) => new(
        "Too many sign-up or sign-in attempts from this address. Please try again later.",
        limit, 0, AtLeastOneSecond(retryAfter));

    // A window that ends this very millisecond still asks for a whole second (Retry-After has no fractions).
    private static TimeSpan AtLeastOneSecond(TimeSpan value) => value < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : value;
}
