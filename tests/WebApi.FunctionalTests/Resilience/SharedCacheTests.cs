using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>Caches shared through a real Redis server by two app instances.</summary>
public sealed class SharedCacheTests
{
    [Test]
    public async Task ThreadDeletedOnB_IsNotServedFromACacheOnA()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync();
        var user = await pair.ClientA.RegisterAsync();
        var first = await pair.ClientA.StreamAsync(user.Token, new { message = "What is 5*5?", max_tokens = 60 });
        var interactionId = first[0].Str("interaction_id");
        // A second message on A warms A's ownership and history caches.
        await pair.ClientA.StreamAsync(user.Token, new { interaction_id = interactionId, message = "And 6*6?", max_tokens = 60 });

        using (var deleted = await pair.ClientB.SendAsync(ApiClient.RawRequest(HttpMethod.Delete, $"/api/interactions/{interactionId}", user.Token)))
            Assert.That((int)deleted.StatusCode, Is.EqualTo(204));

        using var again = await pair.ClientA.SendAsync(ApiClient.StreamRequest(user.Token, new { interaction_id = interactionId, message = "And 7*7?" }));
        Assert.That((int)again.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task IdenticalPromptOnB_IsAnsweredFromTheResponseCacheFilledOnA()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync();
        var alice = await pair.ClientA.RegisterAsync();
        var bob = await pair.ClientB.RegisterAsync();
        var question = $"Explain the Pythagorean theorem ({Guid.NewGuid():N})";

        var generated = await pair.ClientA.StreamAsync(alice.Token, new { message = question, max_tokens = 300 });
        var cached = await pair.ClientB.StreamAsync(bob.Token, new { message = question, max_tokens = 300 });

        Assert.That(generated[^1].Bool("cached"), Is.False);
        Assert.That(cached[^1].Bool("cached"), Is.True);
        Assert.That(cached[^1].Str("content"), Is.EqualTo(generated[^1].Str("content")));
        Assert.That(cached[^1].Int("points_cost"), Is.EqualTo(generated[^1].Int("points_cost")));
        Assert.That(cached.Count(e => e.Type == "token"), Is.EqualTo(generated.Count(e => e.Type == "token")));
    }

    [Test]
    public async Task RedisStoppedMidTest_RequestsStillSucceedReadyIsDegraded_ThenRecovers()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync();
        var user = await pair.ClientA.RegisterAsync();
        Assert.That(await ReadyStatus(pair.ClientA), Is.EqualTo((200, "healthy")));

        pair.Redis.Stop();
        var events = await pair.ClientA.StreamAsync(user.Token, new { message = "What is 8*8?", max_tokens = 60 });
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(await ReadyStatus(pair.ClientA), Is.EqualTo((200, "degraded")));

        await pair.Redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ReadyStatus(pair.ClientA) != (200, "healthy"))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("readiness did not recover within 30 s of Redis coming back");
            await Task.Delay(250);
        }
        var after = await pair.ClientA.StreamAsync(user.Token, new { message = "What is 9*9?", max_tokens = 60 });
        Assert.That(after[^1].Type, Is.EqualTo("complete"));
    }

    private static async Task<(int, string?)> ReadyStatus(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return ((int)response.StatusCode, body.GetProperty("status").GetString());
    }
}
