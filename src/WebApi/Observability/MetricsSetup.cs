using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using StudyGuru.Application.Common.Observability;

namespace StudyGuru.WebApi.Observability;

/// <summary>
/// OpenTelemetry metrics of the StudyGuru meter, scraped by Prometheus at /metrics. Outside Development the server
/// also listens on <c>Metrics:Port</c> (default <see cref="DefaultManagementPort"/>) and serves /metrics only there,
/// never on the API port, so that a public load balancer in front of the API port does not expose it. In
/// Development /metrics stays on the API port unless <c>Metrics:Port</c> is set.
/// </summary>
public static class MetricsSetup
{
    public const string ScrapePath = "/metrics";
    public const int DefaultManagementPort = 9464;

    private static readonly ExplicitBucketHistogramConfiguration SecondsBuckets = new()
    {
        Boundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    };

    public static IServiceCollection AddStudyGuruMetrics(this IServiceCollection services)
    {
        services.AddSingleton<HealthStatusMetrics>();
        services.AddSingleton<IHealthCheckPublisher>(provider => provider.GetRequiredService<HealthStatusMetrics>());
        services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = TimeSpan.FromSeconds(10);
        });
        return services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(StreamMetrics.MeterName)
                // http_server_request_duration_seconds{http_response_status_code}: the 5xx rate of the alerts.
                .AddMeter("Microsoft.AspNetCore.Hosting")
                // The default buckets are sized for milliseconds; these histograms are in seconds.
                .AddView("studyguru.stream.time_to_first_token", SecondsBuckets)
                .AddView("studyguru.model.latency", SecondsBuckets)
                .AddPrometheusExporter())
            .Services;
    }

    /// <summary>Adds the management port to the addresses the server listens on (before <c>Build()</c>).</summary>
    public static WebApplicationBuilder ListenOnMetricsPort(this WebApplicationBuilder builder)
    {
        if (ManagementPort(builder.Configuration, builder.Environment) is not { } port) return builder;
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = builder.Configuration["HTTP_PORTS"] ?? builder.Configuration["ASPNETCORE_HTTP_PORTS"];
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"));
        }
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, $"{urls};http://*:{port}");
        return builder;
    }

    public static WebApplication MapStudyGuruMetrics(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(ScrapePath);
        if (ManagementPort(app.Configuration, app.Environment) is { } port) endpoint.RequireHost($"*:{port}");
        return app;
    }

    private static int? ManagementPort(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<int?>("Metrics:Port") is > 0 and var port ? port
        : environment.IsDevelopment() ? null
        : DefaultManagementPort;
}
