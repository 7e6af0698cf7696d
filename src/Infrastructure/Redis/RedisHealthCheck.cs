using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StudyGuru.Infrastructure.Redis;

/// <summary>
/// Readiness of Redis. An unreachable Redis is Degraded, never Unhealthy: every instance shares
/// it, so failing readiness on it would take them all out of the load balancer at once, while
/// each of them can serve from its own memory meanwhile.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var roundTrip = await connection.PingAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
        if (roundTrip is not { } elapsed)
        {
            return HealthCheckResult.Degraded("Redis is unreachable; caches and signals are local to each instance.");
        }

        return HealthCheckResult.Healthy(
            "Redis answers.",
            new Dictionary<string, object> { ["ping_ms"] = Math.Round(elapsed.TotalMilliseconds, 2) });
    }
}
