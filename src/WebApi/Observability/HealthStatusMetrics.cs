using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.WebApi.Observability;

/// <summary>
/// The readiness checks as a gauge, <c>studyguru_health_status{check}</c>: 2 healthy, 1 degraded, 0 unhealthy, for
/// each check (database, redis, model) and for the whole (<c>check="ready"</c>). The health publisher runs the
/// checks every few seconds, so that alerts on a degraded Redis or an unready instance need no probe of their own.
/// While the instance drains (graceful stop) the whole reads 0, as /health/ready answers 503 then.
/// </summary>
public sealed class HealthStatusMetrics : IHealthCheckPublisher, IDisposable
{
    public const string Overall = "ready";

    private readonly Meter _meter;
    private readonly ShutdownSignal _shutdown;
    private volatile HealthReport? _last;

    public HealthStatusMetrics(IMeterFactory meters, ShutdownSignal shutdown)
    {
        _shutdown = shutdown;
        _meter = meters.Create(StreamMetrics.MeterName);
        _meter.CreateObservableGauge("studyguru.health.status", Observe,
            description: "Readiness checks: 2 healthy, 1 degraded, 0 unhealthy; check=\"ready\" is the whole.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = report;
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        if (_last is not { } report) yield break;
        var overall = _shutdown.IsDraining ? 0 : Value(report.Status);
        yield return new Measurement<int>(overall, new KeyValuePair<string, object?>("check", Overall));
        foreach (var (name, entry) in report.Entries)
            yield return new Measurement<int>(Value(entry.Status), new KeyValuePair<string, object?>("check", name));
    }

    private static int Value(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 2,
        HealthStatus.Degraded => 1,
        _ => 0,
    };

    public void Dispose() => _meter.Dispose();
}
