using System.Text.Json;
using StudyGuru.Application.Abstractions;
using StudyGuru.WebApi.FunctionalTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

public sealed class ResumeAcrossInstancesTests
{
    [Test]
    public async Task DropOnA_ResumeOnBPastTheGrace_GetsExactlyTheMissingEventsAndOneCharge()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "60",
            ["Streaming:DisconnectGraceSeconds"] = "2",
        });
        var user = await pair.ClientA.RegisterAsync();

        var firstPart = new List<SseEvent>();
        using (var response = await pair.ClientA.SendAsync(
                   ApiClient.StreamRequest(user.Token, new { message = "Explain how rainbows form", max_tokens = 300 }),
                   HttpCompletionOption.ResponseHeadersRead))
        {
            await foreach (var item in SseStream.ReadAsync(response))
            {
                firstPart.Add(item);
                if (firstPart.Count == 4) break;
            }
        }

        var resume = ApiClient.StreamRequest(user.Token, new { message = "Explain how rainbows form", max_tokens = 300 });
        resume.Headers.Add("Last-Event-ID", firstPart[^1].Id);
        using var resumed = await pair.ClientB.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)resumed.StatusCode, Is.EqualTo(200));
        var rest = await SseStream.ReadAllAsync(resumed);

        var all = firstPart.Concat(rest).ToList();
        Assert.That(all.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, all.Count).Select(i => (long)i)), "no event lost or repeated");
        Assert.That(rest[^1].Type, Is.EqualTo("complete"));
        Assert.That(rest[^1].Str("finish_reason"), Is.AnyOf("stop", "length"));
        var joined = string.Concat(all.Where(e => e.Type == "token").Select(e => e.Str("content")));
        Assert.That(rest[^1].Str("content"), Is.EqualTo(joined));

        using var scope = pair.B.Services.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
            .GetRecentMessagesAsync(Guid.Parse(firstPart[0].Str("interaction_id")!), 10, CancellationToken.None);
        Assert.That(saved.Single(m => m.Role == Domain.Interactions.MessageRole.Assistant).Content, Is.EqualTo(joined));
        var ledger = await pair.ClientB.GetJsonAsync("/api/account/points/transactions", user.Token);
        Assert.That(ledger.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "used"), Is.EqualTo(1));
    }

    [Test]
    public async Task CancelOnB_StopsTheGenerationRunningOnA()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "60" });
        var user = await pair.ClientA.RegisterAsync();

        using var response = await pair.ClientA.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Describe the French revolution", max_tokens = 400 }),
            HttpCompletionOption.ResponseHeadersRead);
        var events = new List<SseEvent>();
        await foreach (var item in SseStream.ReadAsync(response))
        {
            events.Add(item);
            if (events.Count == 3)
            {
                using var cancel = await pair.ClientB.SendAsync(ApiClient.RawRequest(HttpMethod.Post,
                    $"/api/interactions/{events[0].Str("interaction_id")}/cancel", user.Token));
                Assert.That((int)cancel.StatusCode, Is.EqualTo(202), await cancel.Content.ReadAsStringAsync());
            }
        }

        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events[^1].Str("finish_reason"), Is.EqualTo("cancelled"));
        Assert.That(events.Count(e => e.Type == "token"), Is.LessThan(60));
    }

    [Test]
    public async Task SameIdempotencyKey_RetryStormOnBothInstances_OneGenerationOneCharge_OtherMessage422()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "20" });
        var user = await pair.ClientA.RegisterAsync();
        var body = new { message = "What is the derivative of x^2?", max_tokens = 120 };
        HttpRequestMessage Request(object content)
        {
            var request = ApiClient.StreamRequest(user.Token, content);
            request.Headers.Add("Idempotency-Key", "retry-storm-1");
            return request;
        }

        async Task<List<SseEvent>> Send(HttpClient client)
        {
            using var response = await client.SendAsync(Request(body), HttpCompletionOption.ResponseHeadersRead);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
            return await SseStream.ReadAllAsync(response);
        }

        var first = Send(pair.ClientA);
        await Task.Delay(150);
        var during = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Send(i % 2 == 0 ? pair.ClientA : pair.ClientB)));
        var original = await first;
        var after = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Send(i % 2 == 0 ? pair.ClientB : pair.ClientA)));

        var generationId = original[0].Str("generation_id");
        foreach (var replay in during.Concat(after))
        {
            Assert.That(replay[0].Str("generation_id") ?? replay[^1].Id!.Split(':')[0], Is.EqualTo(generationId));
            Assert.That(replay[^1].Type, Is.EqualTo("complete"));
            Assert.That(replay[^1].Str("content"), Is.EqualTo(original[^1].Str("content")));
        }
        var ledger = await pair.ClientB.GetJsonAsync("/api/account/points/transactions", user.Token);
        Assert.That(ledger.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "used"), Is.EqualTo(1));

        using var different = await pair.ClientB.SendAsync(Request(new { message = "Another question", max_tokens = 120 }));
        Assert.That((int)different.StatusCode, Is.EqualTo(422));
    }

    [Test]
    public async Task EndedGeneration_AfterBufferExpired_ReplaysFromDatabase_And204AtTheEnd()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?> { ["Streaming:BufferTtlMinutes"] = "0" });
        var user = await pair.ClientA.RegisterAsync();
        var events = await pair.ClientA.StreamAsync(user.Token, new { message = "Name three prime numbers", max_tokens = 80 });
        var generationId = events[0].Str("generation_id");
        await Task.Delay(1500);

        using var full = await pair.ClientB.GetAsync($"/api/stream/generations/{generationId}?access_token={user.Token}", HttpCompletionOption.ResponseHeadersRead);
        var replay = await SseStream.ReadAllAsync(full);
        Assert.That(replay.Select(e => e.Type), Is.EqualTo(new[] { "metadata", "token", "complete" }));
        Assert.That(replay.Select(e => e.Sequence), Is.EqualTo(new[] { 1L, events.Count - 1, events.Count }));
        Assert.That(replay[1].Str("content"), Is.EqualTo(events[^1].Str("content")));

        var partial = new HttpRequestMessage(HttpMethod.Get, $"/api/stream/generations/{generationId}");
        partial.Headers.Authorization = new("Bearer", user.Token);
        partial.Headers.Add("Last-Event-ID", $"{generationId}:2");
        using var fromTwo = await pair.ClientA.SendAsync(partial, HttpCompletionOption.ResponseHeadersRead);
        var terminalOnly = await SseStream.ReadAllAsync(fromTwo);
        Assert.That(terminalOnly.Select(e => e.Type), Is.EqualTo(new[] { "complete" }));

        var atEnd = new HttpRequestMessage(HttpMethod.Get, $"/api/stream/generations/{generationId}");
        atEnd.Headers.Authorization = new("Bearer", user.Token);
        atEnd.Headers.Add("Last-Event-ID", events[^1].Id);
        using var noContent = await pair.ClientB.SendAsync(atEnd);
        Assert.That((int)noContent.StatusCode, Is.EqualTo(204));
    }
}
