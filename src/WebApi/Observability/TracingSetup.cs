using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.WebApi.Observability;

/// <summary>
/// OpenTelemetry tracing: incoming requests, the model's HTTP calls, EF Core, StackExchange.Redis and the span of
/// each generation. Exported over OTLP only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set; the exporter reads the other <c>OTEL_*</c> variables itself
/// (protocol, headers, timeout, service name, resource attributes). Without it no tracer provider is built, no
/// activity listener exists, and spans cost nothing (docs/deployment.md, "Traces").
/// </summary>
public static class TracingSetup
{
    public const string ServiceName = "studyguru-api";

    public static IServiceCollection AddStudyGuruTracing(this IServiceCollection services, IConfiguration configuration)
    {
        // What every tracer provider of this app records; a provider is built only where tracing is turned on
        // (below, or by a test with an in-memory exporter).
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(GenerationTracing.SourceName)
            .AddAspNetCoreInstrumentation(options =>
            {
                options.Filter = http => !http.Request.Path.StartsWithSegments(MetricsSetup.ScrapePath);
                // Query strings carry stream-simple's message and access_token: never recorded.
                options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
            })
            .AddHttpClientInstrumentation(options =>
                options.EnrichWithHttpRequestMessage = (activity, _) => activity.SetTag("url.query", null))
            .AddEntityFrameworkCoreInstrumentation()
            // Redis commands are reported in batches; a short interval keeps their spans near their parents.
            .AddRedisInstrumentation(options => options.FlushInterval = TimeSpan.FromSeconds(1))
            .ConfigureRedisInstrumentation((provider, redis) =>
            {
                if (provider.GetService<RedisConnection>() is { } connection)
                    connection.WhenConnected(multiplexer => redis.AddConnection(multiplexer));
            }));

        if (!OtlpConfigured(configuration)) return services;

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])) resource.AddService(ServiceName);
            })
            .WithTracing(tracing => tracing.AddOtlpExporter());
        return services;
    }

    private static bool OtlpConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
}
