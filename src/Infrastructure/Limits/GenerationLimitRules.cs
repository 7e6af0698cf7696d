using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The per-user generation limits, as both limiters apply them.
/// <list type="bullet">
/// <item>Concurrency: at most <see cref="MaxRunning"/> slots, one per generation from start to settlement.
/// A slot that is never released (its instance died while Redis was the store) expires after
/// <see cref="SlotLifetime"/>: the longest a generation may run (<c>Streaming:MaxDurationSeconds</c>)
/// plus the time the lease sweep needs to notice a dead owner (<c>Points:LeaseSeconds + Points:SweepSeconds</c>).
/// The sweep itself releases the slot of a generation it settles, so a crash normally frees the slot
/// within the sweep time; the expiry is the backstop.</item>
/// <item>Rate: at most <see cref="PerMinute"/> starts in any sliding minute (a log of start times, not a
/// fixed window): the per-minute refusal's <c>Retry-After</c> and <c>X-RateLimit-Reset</c> are the
/// seconds until the oldest start in the window leaves it, i.e. until one more start is allowed.</item>
/// </list>
/// </summary>
public sealed record GenerationLimitRules(int MaxRunning, int PerMinute, TimeSpan SlotLifetime)
{
    /// <summary>The length of the sliding window of <see cref="PerMinute"/>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The concurrency refusal has no window that resets; a running answer usually ends within seconds,
    /// so the client is told to try again after this hint.
    /// </summary>
    public static readonly TimeSpan RunningRetryAfter = TimeSpan.FromSeconds(5);

    public static GenerationLimitRules From(LimitsOptions limits, PointsOptions points, StreamingOptions streaming) => new(
        Math.Max(1, limits.ConcurrentGenerationsPerUser),
        Math.Max(1, limits.GenerationsPerMinute),
        TimeSpan.FromSeconds(Math.Max(1, streaming.MaxDurationSeconds) + Math.Max(1, points.LeaseSeconds) + Math.Max(1, points.SweepSeconds)));
}
