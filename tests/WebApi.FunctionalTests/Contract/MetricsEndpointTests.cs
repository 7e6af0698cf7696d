using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

public sealed class MetricsEndpointTests
{
    private static readonly string[] ExpectedSeries =
    [
        "studyguru_stream_tokens_total",
        "studyguru_stream_outcomes_total{",
        "studyguru_stream_time_to_first_token_seconds_bucket",
        "studyguru_points_charged_total",
        "studyguru_streams_active",
        "studyguru_model_latency_seconds_bucket",
    ];

    [Test]
    public async Task Metrics_AfterOneStream_ExportsTheStreamInstruments()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        var events = await client.StreamAsync(user.Token, new { message = "What is 2+3?", max_tokens = 100 });
        Assert.That(events[^1].Str("finish_reason"), Is.EqualTo("stop"));

        // The exporter caches a scrape briefly; the settled generation shows up within a moment.
        string text = "";
        for (var attempt = 0; attempt < 20 && !ExpectedSeries.All(text.Contains); attempt++)
        {
            if (attempt > 0) await Task.Delay(200);
            text = await client.GetStringAsync("/metrics");
        }
        Assert.That(ExpectedSeries.Where(s => !text.Contains(s, StringComparison.Ordinal)), Is.Empty, text);
        Assert.That(text, Does.Match("""studyguru_stream_outcomes_total\{[^}]*code="stop"[^}]*\} [1-9]"""), text);
        // Seconds-sized buckets, not the default millisecond-sized ones.
        Assert.That(text, Does.Contain("studyguru_stream_time_to_first_token_seconds_bucket{otel_scope_name=\"StudyGuru\",le=\"0.05\"}"));
    }

    [Test]
    public async Task Metrics_WithManagementPort_AreServedOnlyOnThatPort()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Metrics:Port"] = "9464" });
        using var apiPort = factory.CreateClient();
        using var managementPort = factory.CreateClient(new() { BaseAddress = new Uri("http://localhost:9464") });

        Assert.That((await apiPort.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await managementPort.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metrics_InProduction_AreServedOnlyOnTheDefaultManagementPort()
    {
        using var factory = new StudyGuruApiFactory(environment: "Production");
        using var apiPort = factory.CreateClient();
        using var managementPort = factory.CreateClient(new() { BaseAddress = new Uri("http://localhost:9464") });

        Assert.That((await apiPort.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var scrape = await managementPort.GetAsync("/metrics");
        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(scrape.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Metrics_InDevelopmentWithoutAPort_AreServedOnTheApiPort()
    {
        using var factory = new StudyGuruApiFactory();
        using var apiPort = factory.CreateClient();

        Assert.That((await apiPort.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(factory.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName, Is.EqualTo("Development"));
    }
}
