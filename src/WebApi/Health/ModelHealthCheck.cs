using Microsoft.Extensions.Diagnostics.HealthChecks;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.Health;

/// <summary>Reports which model answers, so that nobody mistakes the offline model for a real one.</summary>
public sealed class ModelHealthCheck(IChatModel model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(
            model.IsReal ? "A real model answers." : "The offline model answers (deterministic, no provider).",
            new Dictionary<string, object> { ["kind"] = model.Kind }));
}
