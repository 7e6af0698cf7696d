using System.Text;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>
/// A resume of a running generation starts its stream at once (headers, then <c>: ping</c> heartbeats), even
/// while the model produces nothing: a proxy in front (nginx's proxy_read_timeout) must not time it out.
/// </summary>
public sealed class ResumeStartsAtOnceTests
{
    [TestCase("/api/stream/stream-conversation")]
    [TestCase("/api/stream/generations/{0}")]
    public async Task ResumeWhileModelIsSilent_SendsHeadersAndPingsThenTheMissingEvents(string path)
    {
        await using var model = await FakeOpenAiServer.StartAsync();
        var lastChunk = new FakeOpenAiGate();
        model.Script = FakeOpenAiScript.Default with { Tokens = ["Plants", " make", " sugar."], LastChunkGate = lastChunk };
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = model.Endpoint.ToString().TrimEnd('/'),
            ["Ai:Model"] = "test-model",
            ["Ai:ApiKey"] = "test-key",
            ["Streaming:HeartbeatSeconds"] = "1",
        });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        // The first reader stays connected: it holds the generation while the model is held back.
        using var first = await client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "How does photosynthesis work?", max_tokens = 100 }),
            HttpCompletionOption.ResponseHeadersRead);
        var seen = new List<SseEvent>();
        await foreach (var item in SseStream.ReadAsync(first))
        {
            seen.Add(item);
            if (seen.Count(e => e.Type == "token") == 2) break;
        }
        var generationId = seen[0].Str("generation_id")!;

        var resume = path.Contains("generations", StringComparison.Ordinal)
            ? ApiClient.RawRequest(HttpMethod.Get, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, generationId), user.Token)
            : ApiClient.StreamRequest(user.Token, new { message = "How does photosynthesis work?" }, path);
        resume.Headers.Add("Last-Event-ID", seen[^1].Id);

        // Nothing new exists until the gate opens; the headers must not wait for it.
        using var resumed = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That((int)resumed.StatusCode, Is.EqualTo(200));
        Assert.That(resumed.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(lastChunk.IsOpen, Is.False);

        var body = await resumed.Content.ReadAsStreamAsync();
        var text = new StringBuilder();
        var buffer = new byte[1024];
        using (var pingWait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!text.ToString().Contains(": ping\n\n", StringComparison.Ordinal))
            {
                var read = await body.ReadAsync(buffer, pingWait.Token);
                Assert.That(read, Is.Positive, "the resumed stream ended before its first heartbeat");
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        Assert.That(text.ToString(), Does.Not.Contain("data:"), "no event exists yet: only heartbeats");

        lastChunk.Open();
        using (var rest = new StreamReader(body)) text.Append(await rest.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        var ids = text.ToString().Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        Assert.That(ids, Is.EqualTo(new[] { $"{generationId}:4", $"{generationId}:5" }), text.ToString());
        Assert.That(text.ToString(), Does.Contain("\"type\":\"complete\""));
    }
}
