using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.WebApi.FunctionalTests.Resilience;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Defects of the first generation core, each pinned by the request that showed it.</summary>
public sealed class GenerationDefectTests
{
    private const string LongQuestion = "Explain how plants turn sunlight into food";

    [Test]
    public async Task Resume_LastEventIdBeyondMaxTokensPlusTwo_Is400()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "100" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        using var response = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = LongQuestion, max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);
        var generationId = reader.Current.Str("generation_id");

        foreach (var sequence in new[] { "100000", "303", "99999999999999999999" })
        {
            using var resume = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
            resume.Headers.Add("Last-Event-ID", $"{generationId}:{sequence}");
            using var answer = await client.SendAsync(resume);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"sequence {sequence}: {await answer.Content.ReadAsStringAsync()}");
            Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    [Test]
    public async Task Resume_LastEventIdAheadOfARunningGeneration_ReadEndsWithTheGenerationThen204()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "20" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        using var response = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = LongQuestion, max_tokens = 30 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);
        var generationId = reader.Current.Str("generation_id");

        // 32 is reachable in principle (max_tokens + 2) but past this answer's terminal event.
        using var resume = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        resume.Headers.Add("Last-Event-ID", $"{generationId}:32");
        using var answer = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(20));
        // A resume of a running generation starts at once; its read ends with the generation, with nothing to send.
        var events = answer.StatusCode == HttpStatusCode.OK
            ? await SseStream.ReadAllAsync(answer).WaitAsync(TimeSpan.FromSeconds(20))
            : [];

        Assert.That(answer.StatusCode, Is.AnyOf(HttpStatusCode.NoContent, HttpStatusCode.OK));
        Assert.That(events, Is.Empty);

        using var again = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        again.Headers.Add("Last-Event-ID", $"{generationId}:32");
        using var ended = await client.SendAsync(again);
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "once it has ended, 204");
    }

    [Test]
    public async Task ResumeOnAnotherInstance_LastEventIdAheadOfTheEnd_204OnceTheGenerationEnded()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "20" });
        var user = await pair.ClientA.RegisterAsync();
        using var response = await pair.ClientA.SendAsync(ApiClient.StreamRequest(user.Token, new { message = LongQuestion, max_tokens = 30 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);
        var generationId = reader.Current.Str("generation_id");

        using var resume = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        resume.Headers.Add("Last-Event-ID", $"{generationId}:32");
        using var answer = await pair.ClientB.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        // Whether B answered before or after the end, its read ends with the generation: no event, no hang.
        var events = answer.StatusCode == HttpStatusCode.OK
            ? await SseStream.ReadAllAsync(answer).WaitAsync(TimeSpan.FromSeconds(20))
            : [];

        Assert.That(answer.StatusCode, Is.AnyOf(HttpStatusCode.NoContent, HttpStatusCode.OK));
        Assert.That(events, Is.Empty);
    }

    [Test]
    public async Task UnexpectedModelFailure_AfterAToken_SettlesTheAnswerAndFreesTheThread()
    {
        using var factory = new StudyGuruApiFactory().WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IChatModel, BrokenChatModel>()));
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        var events = await client.StreamAsync(user.Token, new { message = LongQuestion, max_tokens = 100 }).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(events[^1].Type, Is.EqualTo("error"));
        Assert.That(events[^1].Str("code"), Is.EqualTo("internal"));
        var interactionId = events[0].Str("interaction_id");
        var thread = await client.GetJsonAsync($"/api/interactions/{interactionId}", user.Token);
        Assert.That(thread.GetProperty("active_generation_id").ValueKind, Is.EqualTo(JsonValueKind.Null), "the thread is free again");
        var account = await client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30), "nothing stays held, nothing is charged");
        var messages = await client.GetJsonAsync($"/api/interactions/{interactionId}/messages", user.Token);
        var answer = messages.GetProperty("items")[0];
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(answer.GetProperty("content").GetString(), Is.EqualTo(BrokenChatModel.FirstWords));
    }

    [Test]
    public async Task LeaseRenewal_OneFailedRenewal_KeepsRenewingAndTheAnswerIsCharged()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "100",
            ["Points:LeaseSeconds"] = "3",
            ["Points:SweepSeconds"] = "1",
        }).WithWebHostBuilder(builder => builder.ConfigureTestServices(FirstRenewalFails.Decorate));
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        var events = await client.StreamAsync(user.Token, new { message = LongQuestion, max_tokens = 60 }).WaitAsync(TimeSpan.FromSeconds(40));

        Assert.That(events[^1].Type, Is.EqualTo("complete"), events[^1].Data.ToString());
        Assert.That(events[^1].Int("points_cost"), Is.GreaterThan(0));
        Assert.That(FirstRenewalFails.Failures, Is.GreaterThanOrEqualTo(1), "the failing renewal did happen");
    }

    [Test]
    public async Task SameIdempotencyKey_TenConcurrentRequests_AllAttachToOneGeneration()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "20" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        async Task<(HttpStatusCode Status, List<SseEvent> Events, string Body)> Send()
        {
            var request = ApiClient.StreamRequest(user.Token, new { message = "What is the derivative of x^2?", max_tokens = 120 });
            request.Headers.Add("Idempotency-Key", "ten-at-once");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, [], await response.Content.ReadAsStringAsync());
            return (response.StatusCode, await SseStream.ReadAllAsync(response), "");
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Send()));

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", results.Select(r => r.Body)));
        var generations = results.Select(r => r.Events[^1].Id!.Split(':')[0]).Distinct().ToList();
        Assert.That(generations, Has.Count.EqualTo(1));
        var ledger = await client.GetJsonAsync("/api/account/points/transactions", user.Token);
        Assert.That(ledger.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "used"), Is.EqualTo(1));
    }

    [Test]
    public async Task CancelWithRedis_ClaimThatNoInstanceRuns_Is404()
    {
        await using var pair = await TwoInstancesWithRedis.StartAsync();
        var user = await pair.ClientA.RegisterAsync();
        // A finished answer first, so that both instances have subscribed to stop requests.
        var first = await pair.ClientA.StreamAsync(user.Token, new { message = "What is 2+2?" });
        var interactionId = Guid.Parse(first[0].Str("interaction_id")!);
        await OrphanClaim.CreateAsync(pair.A.Services, user.Id, interactionId);

        using var cancel = await pair.ClientB.SendAsync(HttpMethod.Post, $"/api/interactions/{interactionId}/cancel", user.Token);

        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await cancel.Content.ReadAsStringAsync());
    }

    /// <summary>Says two words, then fails with an exception that is not a model failure.</summary>
    private sealed class BrokenChatModel : IChatModel
    {
        public const string FirstWords = "Plants use";
        public string Kind => "offline";
        public bool IsReal => false;

        public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return ChatChunk.FromText("Plants");
            yield return ChatChunk.FromText(" use");
            await Task.Delay(50, cancellationToken);
            throw new InvalidOperationException("A defect in the adapter.");
        }
    }
}
