using System.Net.Http.Json;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.AiSdk;
using StudyGuru.WebApi.FunctionalTests.Media;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>The shipped nginx config in front of two instances: streams pass unbuffered, client addresses come through.</summary>
[NonParallelizable]
public sealed class NginxStreamingTests
{
    private NginxCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task Start() => _cluster = await NginxCluster.StartAsync(tokenDelayMs: 100, new Dictionary<string, string?>
    {
        ["Limits:AuthAttemptsPer5Minutes"] = "3",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _cluster.DisposeAsync();

    [Test]
    public async Task Stream_100MsPerToken_TokensArriveThroughNginxAsTheyAreProduced()
    {
        using var client = _cluster.CreateClient("127.0.0.11");
        var user = await client.RegisterAsync();

        using var response = await client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain how volcanoes form", max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), () => _cluster.Diagnostics());
        var arrivals = new List<(SseEvent Event, double ArrivedAt)>();
        await foreach (var item in SseStream.ReadAsync(response))
            arrivals.Add((item, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0));

        var tokens = arrivals.Where(a => a.Event.Type == "token").ToList();
        Assert.That(arrivals[^1].Event.Type, Is.EqualTo("complete"));
        Assert.That(tokens, Has.Count.GreaterThan(20));
        var lastProduced = tokens[^1].Event.Data.GetProperty("timestamp").GetDouble();
        var producing = lastProduced - tokens[0].Event.Data.GetProperty("timestamp").GetDouble();
        Assert.That(producing, Is.GreaterThan(2), "100 ms per token: the answer takes seconds to produce");
        // Buffered, every token would arrive after the last one was produced; unbuffered, the first one arrives
        // seconds before that, within moments of being produced.
        Assert.That(tokens[0].ArrivedAt, Is.LessThan(lastProduced - producing / 2),
            $"first token arrived at {tokens[0].ArrivedAt:F3}, the last was produced at {lastProduced:F3}");
        var worstLag = tokens.Max(t => t.ArrivedAt - t.Event.Data.GetProperty("timestamp").GetDouble());
        TestContext.Out.WriteLine($"{tokens.Count} tokens over {producing:F1} s; worst lag between production and arrival {worstLag * 1000:F0} ms");
    }

    [Test]
    public async Task SignInLimitPerIp_SeesEachClientsAddressThroughNginx_AndNotAClientsOwnForwardedFor()
    {
        using var first = _cluster.CreateClient("127.0.0.21");
        using var second = _cluster.CreateClient("127.0.0.22");
        var wrong = new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "wrong-password1" };

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var refused = await first.PostAsJsonAsync("/api/auth/login", wrong);
            Assert.That((int)refused.StatusCode, Is.EqualTo(401), () => _cluster.Diagnostics());
        }
        using (var limited = await first.PostAsJsonAsync("/api/auth/login", wrong))
            Assert.That((int)limited.StatusCode, Is.EqualTo(429), "the fourth attempt from one address, whichever instance served each");

        // The limited client claims another address: nginx replaces its X-Forwarded-For, so it stays limited.
        using (var spoofed = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(wrong) })
        {
            spoofed.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await first.SendAsync(spoofed);
            Assert.That((int)response.StatusCode, Is.EqualTo(429));
        }

        // Another client, even one that claims to be the first, has its own budget.
        using (var other = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(wrong) })
        {
            other.Headers.Add("X-Forwarded-For", "127.0.0.21");
            using var response = await second.SendAsync(other);
            Assert.That((int)response.StatusCode, Is.EqualTo(401), await response.Content.ReadAsStringAsync());
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(401));
        }
    }

    [Test]
    public async Task AiSdkChat_AQuestionWithAnImageLargerThanOtherBodies_PassesNginxAndIsAnswered()
    {
        using var client = _cluster.CreateClient("127.0.0.31");
        var student = await client.RegisterAsync();
        var png = ImageSamples.PngWithPadding(9_000_000);
        var file = new { type = "file", mediaType = "image/png", url = $"data:image/png;base64,{Convert.ToBase64String(png)}" };
        var body = ChatClient.Body(ChatClient.NewChatId(), [ChatClient.UserMessage("q1", "What is in this picture?", file)]);

        var stream = await client.SendAsync(student.Token, body);

        Assert.That(JsonSerializer.Serialize(body).Length, Is.GreaterThan(11 * 1024 * 1024), "over the limit of other bodies");
        Assert.That(stream.Status, Is.EqualTo(200), stream.Raw.Length > 2000 ? stream.Raw[..2000] : stream.Raw);
        Assert.That(stream.Finish, Is.Not.Null);
        Assert.That(stream.EndedWithDone, Is.True);
    }
}
