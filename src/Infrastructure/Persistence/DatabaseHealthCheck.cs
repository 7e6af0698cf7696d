using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>Readiness needs the database: without it nothing can be saved or charged (503).</summary>
internal sealed class DatabaseHealthCheck(StudyGuruDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable.")
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", exception);
        }
    }
}
