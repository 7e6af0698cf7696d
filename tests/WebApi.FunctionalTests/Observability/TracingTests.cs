using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using StudyGuru.Application.Common.Observability;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.TestSupport.Redis;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Observability;

/// <summary>
/// Traces of a real conversation (Redis, the OpenAI connector against a local server, SQLite) captured with an
/// in-memory exporter: what they hold, what they never hold, and how a problem body leads to them.
/// </summary>
public sealed class TracingTests
{
    [Test]
    public async Task Conversation_MarkedMessagePasswordAndToken_AppearInNoSpanNameAttributeEventOrLink()
    {
        var marker = "CANARY" + Guid.NewGuid().ToString("N")[..12];
        await using var redis = await RedisServer.StartAsync();
        await using var model = await FakeOpenAiServer.StartAsync();
        model.Script = FakeOpenAiScript.Default with
        {
            Tokens = ["Cells", " divide", " in", " four", " phases."],
            DelayBetweenChunks = TimeSpan.FromMilliseconds(100),
        };
        var spans = new List<Activity>();
        using var factory = new StudyGuruApiFactory(
            new Dictionary<string, string?>
            {
                ["Redis:Configuration"] = redis.Configuration,
                ["Ai:Provider"] = "OpenAI",
                ["Ai:Endpoint"] = model.Endpoint.ToString().TrimEnd('/'),
                ["Ai:Model"] = "test-model",
                ["Ai:ApiKey"] = "test-key",
                ["Streaming:DisconnectGraceSeconds"] = "5",
            },
            configureServices: services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans)));
        using var client = factory.CreateClient();
        var email = $"{marker.ToLowerInvariant()}@example.com";
        var password = marker + "pw1";
        var user = await client.RegisterAsync(email, password);

        // A conversation dropped after two events and resumed with Last-Event-ID, a stream-simple request with the
        // message and the token in its query string, a failed login and a refused body.
        var firstPart = new List<SseEvent>();
        using (var response = await client.SendAsync(
                   ApiClient.StreamRequest(user.Token, new { message = $"Explain {marker} mitosis", max_tokens = 100 }),
                   HttpCompletionOption.ResponseHeadersRead))
        {
            await foreach (var item in SseStream.ReadAsync(response))
            {
                firstPart.Add(item);
                if (firstPart.Count == 2) break;
            }
        }
        var generationId = firstPart[0].Str("generation_id");
        SseEvent completeEvent;
        using var resume = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        resume.Headers.Add("Last-Event-ID", firstPart[^1].Id);
        using (var resumed = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead))
        {
            var rest = await SseStream.ReadAllAsync(resumed);
            Assert.That(rest[^1].Type, Is.EqualTo("complete"));
            completeEvent = rest[^1];
        }
        using (var simple = await client.GetAsync(
                   $"/api/stream/stream-simple?message={marker}+simple&access_token={user.Token}", HttpCompletionOption.ResponseHeadersRead))
            await SseStream.ReadAllAsync(simple);
        using (await client.PostAsJsonAsync("/api/auth/login", new { email, password = password + "wrong" })) { }
        using (await client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/stream/stream-conversation", user.Token,
                   $"{{\"message\": \"{marker}\", \"bogus_{marker}\": 1}}"))) { }

        // Redis commands are reported when the instrumentation flushes its profiling sessions.
        List<Activity> captured = [];
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await Task.Delay(250);
            lock (spans) captured = [.. spans];
            if (captured.Any(s => s.Source.Name.Contains("Redis", StringComparison.Ordinal))
                && captured.Count(s => s.Source.Name == GenerationTracing.SourceName) >= 2) break;
        }

        // The generation's span: ids, model, counts, points and outcome; its milestones; linked to the request that
        // started it and to the one that resumed it.
        var generation = captured.Single(s => s.Source.Name == GenerationTracing.SourceName
                                              && (string?)s.GetTagItem(GenerationTracing.GenerationIdTag) == generationId);
        Assert.That(generation.GetTagItem("studyguru.interaction.id"), Is.EqualTo(firstPart[0].Str("interaction_id")));
        Assert.That(generation.GetTagItem("studyguru.user.id"), Is.EqualTo(user.Id.ToString()));
        Assert.That(generation.GetTagItem("gen_ai.request.model"), Is.EqualTo("test-model"));
        Assert.That(generation.GetTagItem("gen_ai.usage.input_tokens"), Is.EqualTo(completeEvent.Int("input_tokens")));
        Assert.That(generation.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(completeEvent.Int("output_tokens")));
        Assert.That(generation.GetTagItem("studyguru.points.reserved"), Is.EqualTo(firstPart[0].Int("reserved_points")));
        Assert.That(generation.GetTagItem("studyguru.points.charged"), Is.EqualTo(completeEvent.Int("points_cost")));
        Assert.That(generation.GetTagItem("studyguru.finish_reason"), Is.EqualTo("stop"));
        Assert.That(generation.GetTagItem("studyguru.cached"), Is.EqualTo(false));
        Assert.That(generation.Events.Select(e => e.Name), Is.SupersetOf(new[] { "reserved", "first_token", "settled", "resumed" }));
        var requestSpans = captured.Where(s => s.Source.Name == "Microsoft.AspNetCore").ToDictionary(s => s.SpanId);
        var links = generation.Links.Select(l => (Kind: l.Tags!.Single(t => t.Key == "studyguru.link").Value as string, l.Context.SpanId)).ToList();
        Assert.That(links.Select(l => l.Kind), Is.EquivalentTo(new[] { "started_by", "resumed_by" }));
        Assert.That(requestSpans[links.Single(l => l.Kind == "started_by").SpanId].GetTagItem("url.path"), Is.EqualTo("/api/stream/stream-conversation"));
        Assert.That(requestSpans[links.Single(l => l.Kind == "resumed_by").SpanId].GetTagItem("url.path"), Is.EqualTo($"/api/stream/generations/{generationId}"));

        var sources = captured.Select(s => s.Source.Name).Distinct().ToList();
        Assert.That(sources, Does.Contain("Microsoft.AspNetCore"), string.Join(", ", sources));
        Assert.That(sources, Does.Contain("System.Net.Http"), "the model's HTTP calls");
        Assert.That(sources.Any(s => s.Contains("EntityFrameworkCore", StringComparison.Ordinal)), Is.True, string.Join(", ", sources));
        Assert.That(sources.Any(s => s.Contains("Redis", StringComparison.Ordinal)), Is.True, string.Join(", ", sources));

        var secrets = new[] { marker, marker.ToLowerInvariant(), user.Token[^20..] };
        var leaks = captured.SelectMany(Texts).Where(text => secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.That(leaks, Is.Empty);
    }

    [Test]
    public async Task ProblemBodyAndLogLines_CarryTheW3CTraceIdOfTheRequest()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        using var request = ApiClient.RawRequest(HttpMethod.Post, "/api/stream/stream-conversation", user.Token, "{\"message\": \"\"}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("trace_id").GetString(), Is.EqualTo(traceId));

        // A request without a caller's trace context gets a new W3C trace id of its own.
        using var unknown = await client.SendAsync(ApiClient.RawRequest(HttpMethod.Get, $"/api/interactions/{Guid.NewGuid()}", user.Token));
        var notFound = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(notFound.GetProperty("trace_id").GetString(), Does.Match("^[0-9a-f]{32}$"));
        Assert.That(notFound.GetProperty("trace_id").GetString(), Is.Not.EqualTo(traceId));

        await Task.Delay(100);
        var requestLine = factory.Logs.Lines.Where(l => l.Contains("responded 400", StringComparison.Ordinal)).ToList();
        Assert.That(requestLine, Has.Count.EqualTo(1));
        Assert.That(requestLine[0], Does.Contain(traceId), "the request's log line names its trace");
    }

    [Test]
    public void NoOtlpEndpoint_NoTracerProviderIsBuilt()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        Assert.That(factory.Services.GetService<TracerProvider>(), Is.Null);
    }

    [Test]
    public void OtlpEndpoint_TracerProviderExportsOverOtlp()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" });
        using var client = factory.CreateClient();
        Assert.That(factory.Services.GetService<TracerProvider>(), Is.Not.Null);
    }

    /// <summary>Every text a span carries: names, attribute keys and values, events and their attributes, links and their attributes, status.</summary>
    private static IEnumerable<string> Texts(Activity span)
    {
        yield return span.DisplayName;
        yield return span.OperationName;
        if (span.StatusDescription is { } status) yield return status;
        foreach (var (key, value) in span.TagObjects) yield return $"{key}={value}";
        foreach (var (key, value) in span.Baggage) yield return $"{key}={value}";
        foreach (var item in span.Events)
        {
            yield return item.Name;
            foreach (var (key, value) in item.Tags) yield return $"{key}={value}";
        }
        foreach (var link in span.Links)
        {
            yield return link.Context.ToString() ?? "";
            foreach (var (key, value) in link.Tags ?? []) yield return $"{key}={value}";
        }
    }
}
