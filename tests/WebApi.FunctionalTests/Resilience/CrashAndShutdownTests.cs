using StudyGuru.TestSupport.Redis;
using StudyGuru.WebApi.FunctionalTests.Contract;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>Real processes: a crash (SIGKILL) and a graceful stop (SIGTERM) in the middle of an answer.</summary>
public sealed class CrashAndShutdownTests
{
    [Test]
    public async Task OwnerKilledMidStream_SweepReturnsPointsSavesPartialAndReaderElsewhereGetsTerminalEvent()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "studyguru-crash", Guid.NewGuid().ToString("N"), "studyguru.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var shared = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["ConnectionStrings:StudyGuru"] = $"Data Source={database};Default Timeout=30",
            ["Points:LeaseSeconds"] = "3",
            ["Points:SweepSeconds"] = "1",
            ["Streaming:DisconnectGraceSeconds"] = "30",
        };
        await using var owner = await LiveApiServer.StartAsync(tokenDelayMs: 150, settings: shared);
        using var survivor = new StudyGuruApiFactory(shared, databaseFile: database);
        using var survivorClient = survivor.CreateClient();
        using var ownerClient = new HttpClient { BaseAddress = new Uri(owner.BaseUrl) };
        var user = await ownerClient.RegisterAsync();

        using var stream = await ownerClient.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain plate tectonics step by step", max_tokens = 400 }),
            HttpCompletionOption.ResponseHeadersRead);
        var seen = new List<SseEvent>();
        await foreach (var item in SseStream.ReadAsync(stream))
        {
            seen.Add(item);
            if (seen.Count == 4) break;
        }

        // A reader on the surviving instance follows the generation through Redis.
        var follow = ApiClient.StreamRequest(user.Token, new { message = "x" });
        follow.Headers.Add("Last-Event-ID", seen[^1].Id);
        using var following = await survivorClient.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)following.StatusCode, Is.EqualTo(200));
        var reading = SseStream.ReadAllAsync(following);
        await Task.Delay(300);
        await owner.CrashAsync();

        var rest = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(rest[^1].Type, Is.EqualTo("error"), "the reader elsewhere is not left hanging");
        var account = await survivorClient.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30), "the reservation came back to the balance");
        Assert.That(account.GetProperty("total_points_used").GetInt32(), Is.Zero);

        var interactionId = seen[0].Str("interaction_id");
        var messages = await survivorClient.GetJsonAsync($"/api/interactions/{interactionId}/messages", user.Token);
        var answer = messages.GetProperty("items").EnumerateArray().First(m => m.GetProperty("role").GetString() == "assistant");
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("failed"));
        // The sweep saves what the shared buffer held: every token any reader was shown.
        var shown = string.Concat(seen.Concat(rest).Where(e => e.Type == "token").Select(e => e.Str("content")));
        Assert.That(answer.GetProperty("content").GetString(), Is.EqualTo(shown));
        Assert.That(shown, Is.Not.Empty);
    }

    [Test]
    public async Task GracefulStopMidStream_RefusesNewWorkThenEndsTheAnswerLikeACancel()
    {
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 100, settings: new Dictionary<string, string?>
        {
            ["Streaming:DrainSeconds"] = "2",
        });
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var user = await client.RegisterAsync();

        using var stream = await client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Describe the nitrogen cycle in detail", max_tokens = 600 }),
            HttpCompletionOption.ResponseHeadersRead);
        var events = new List<SseEvent>();
        var readingTask = Task.Run(async () =>
        {
            await foreach (var item in SseStream.ReadAsync(stream)) events.Add(item);
        });
        while (events.Count(e => e.Type == "token") < 3) await Task.Delay(50);

        server.RequestStop();
        await Task.Delay(400);
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.That((int)ready.StatusCode, Is.EqualTo(503));
            Assert.That(ready.Headers.RetryAfter, Is.Not.Null);
        }

        await readingTask.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events[^1].Str("finish_reason"), Is.EqualTo("cancelled"));
        Assert.That(events[^1].Int("points_cost"), Is.GreaterThan(0));
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }
}
