using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// At most <see cref="MaxAttempts"/> sign-up and sign-in attempts per client in a fixed window of
/// <see cref="Window"/> that starts at the client's first attempt. A refusal's <c>Retry-After</c> and
/// <c>X-RateLimit-Reset</c> are the seconds until that window ends. Refused attempts are not counted,
/// so a client that keeps trying is let in again when its window ends.
/// </summary>
public sealed record AuthAttemptRules(int MaxAttempts, TimeSpan Window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public static AuthAttemptRules From(LimitsOptions limits) => new(Math.Max(1, limits.AuthAttemptsPer5Minutes), DefaultWindow);
}
