using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Per-user generation limits, counted inside the use case: 429 with the numbers of the limit that refused.</summary>
public sealed class LimitsGenerationTests
{
    [Test]
    public async Task ConcurrentGenerations_OverTheCap_Is429WithHeaders_AndASlotFreesAtSettlement()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Limits:ConcurrentGenerationsPerUser"] = "2",
            ["Ai:Offline:TokenDelayMs"] = "80",
        });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
            open.Add(await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = $"Long answer {i}", max_tokens = 200 }),
                HttpCompletionOption.ResponseHeadersRead));
        Assert.That(open.Select(r => (int)r.StatusCode), Is.All.EqualTo(200));

        using (var refused = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = "One too many", max_tokens = 200 })))
        {
            Assert.That((int)refused.StatusCode, Is.EqualTo(429));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
            Assert.That(refused.Headers.GetValues("X-RateLimit-Limit").Single(), Is.EqualTo("2"));
            Assert.That(refused.Headers.GetValues("X-RateLimit-Remaining").Single(), Is.EqualTo("0"));
            Assert.That(refused.Headers.Contains("X-RateLimit-Reset"), Is.True);
        }

        foreach (var response in open)
        {
            var events = await SseStream.ReadAllAsync(response);
            Assert.That(events[^1].Type, Is.EqualTo("complete"));
            response.Dispose();
        }
        var after = await client.StreamAsync(user.Token, new { message = "Now there is room", max_tokens = 30 });
        Assert.That(after[^1].Type, Is.EqualTo("complete"));
    }

    [Test]
    public async Task GenerationsPerMinute_OverTheBudget_Is429_RefusedRequestsCountForNothing()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Limits:GenerationsPerMinute"] = "2" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        // A request refused before its stream (404 here) uses none of the budget.
        using (var notFound = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { interaction_id = Guid.NewGuid(), message = "x" })))
            Assert.That((int)notFound.StatusCode, Is.EqualTo(404));
        await client.StreamAsync(user.Token, new { message = "First", max_tokens = 30 });
        await client.StreamAsync(user.Token, new { message = "Second", max_tokens = 30 });

        using var refused = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = "Third", max_tokens = 30 }));
        Assert.That((int)refused.StatusCode, Is.EqualTo(429));
        Assert.That(refused.Headers.GetValues("X-RateLimit-Limit").Single(), Is.EqualTo("2"));
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(429));
    }

    [Test]
    public async Task BusyThreadAndOverLimit_409WinsOver429()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Limits:ConcurrentGenerationsPerUser"] = "1",
            ["Ai:Offline:TokenDelayMs"] = "80",
        });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        using var running = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = "Tell me a long story", max_tokens = 200 }),
            HttpCompletionOption.ResponseHeadersRead);
        SseEvent? metadata = null;
        await foreach (var item in SseStream.ReadAsync(running))
        {
            metadata = item;
            break;
        }

        using var second = await client.SendAsync(ApiClient.StreamRequest(user.Token,
            new { interaction_id = metadata!.Str("interaction_id"), message = "And another" }));
        Assert.That((int)second.StatusCode, Is.EqualTo(409));
        var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("generation_id").GetString(), Is.EqualTo(metadata.Str("generation_id")));
    }
}
