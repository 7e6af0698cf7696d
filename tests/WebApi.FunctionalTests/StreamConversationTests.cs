using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

public sealed class StreamConversationTests : SharedApiTests
{
    [Test]
    public async Task StreamConversation_NewQuestion_StreamsMetadataTokensAndComplete()
    {
        var user = await Client.RegisterAsync();
        var events = await Client.StreamAsync(user.Token, new { message = "What is 12*(3+4)?", max_tokens = 200 });

        Assert.That(events[0].Type, Is.EqualTo("metadata"));
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events.Skip(1).SkipLast(1).Select(e => e.Type), Is.All.EqualTo("token").And.Not.Empty);
        var metadata = events[0];
        Assert.That(metadata.Bool("is_new_interaction"), Is.True);
        Assert.That(metadata.Str("user_id"), Is.EqualTo(user.Id.ToString()));
        Assert.That(metadata.Int("max_tokens"), Is.EqualTo(200));
        var complete = events[^1];
        var joined = string.Concat(events.Where(e => e.Type == "token").Select(e => e.Str("content")));
        Assert.That(complete.Str("content"), Is.EqualTo(joined));
        Assert.That(joined, Does.Contain("84"));
        Assert.That(complete.Str("finish_reason"), Is.EqualTo("stop"));
        Assert.That(complete.Int("tokens_used"), Is.EqualTo(complete.Int("input_tokens") + complete.Int("output_tokens")));
        Assert.That(complete.Int("points_cost"), Is.EqualTo(Math.Max(1, complete.Int("tokens_used") / 100)));
        var generationId = metadata.Str("generation_id");
        Assert.That(events.Select(e => e.Id), Is.EqualTo(events.Select((_, i) => $"{generationId}:{i + 1}")));
    }

    [Test]
    public async Task StreamConversation_Completed_BalanceDropsByPointsCostWithOneUsedEntry()
    {
        var user = await Client.RegisterAsync();
        var before = await Client.GetJsonAsync("/api/account", user.Token);

        var events = await Client.StreamAsync(user.Token, new { message = "Explain photosynthesis briefly", max_tokens = 300 });

        var cost = events[^1].Int("points_cost");
        var after = await Client.GetJsonAsync("/api/account", user.Token);
        Assert.That(after.GetProperty("current_points").GetInt32(), Is.EqualTo(before.GetProperty("current_points").GetInt32() - cost));
        Assert.That(events[^1].Int("points_balance"), Is.EqualTo(after.GetProperty("current_points").GetInt32()));
        Assert.That(after.GetProperty("total_points_used").GetInt32(), Is.EqualTo(cost));
        var ledger = await Client.GetJsonAsync("/api/account/points/transactions?page=1&size=10", user.Token);
        var used = ledger.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "used").ToList();
        Assert.That(used, Has.Count.EqualTo(1));
        Assert.That(used[0].GetProperty("points").GetInt32(), Is.EqualTo(cost));
        Assert.That(used[0].GetProperty("interaction_id").GetString(), Is.EqualTo(events[0].Str("interaction_id")));
    }

    [Test]
    public async Task StreamSimple_WithAccessTokenQuery_StreamsStartTokensAndSimpleComplete()
    {
        var user = await Client.RegisterAsync();
        var url = $"/api/stream/stream-simple?message={Uri.EscapeDataString("What is 2+2?")}&access_token={user.Token}";
        using var response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(response.Headers.CacheControl!.ToString(), Does.Contain("no-cache").And.Contain("no-transform"));
        Assert.That(response.Headers.GetValues("X-Accel-Buffering"), Is.EqualTo(new[] { "no" }));

        var events = await SseStream.ReadAllAsync(response);

        Assert.That(events[0].Type, Is.EqualTo("start"));
        Assert.That(events[0].Str("message"), Is.EqualTo("Generating response..."));
        Assert.That(events[0].Str("interaction_id"), Is.Not.Null);
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        var complete = events[^1].Data;
        Assert.That(complete.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "type", "content", "tokens_used", "points_cost", "finish_reason", "timestamp" }));
        var joined = string.Concat(events.Where(e => e.Type == "token").Select(e => e.Str("content")));
        Assert.That(events[^1].Str("content"), Is.EqualTo(joined).And.Contain("4"));
    }

    [Test]
    public async Task StreamConversation_SecondMessage_IsNotNewAndModelReceivesFirstExchangeAsHistory()
    {
        using var factory = new StudyGuruApiFactory(recordModel: true);
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        var first = await client.StreamAsync(user.Token, new { message = "What is 6*7?", max_tokens = 100 });
        var interactionId = first[0].Str("interaction_id");

        var second = await client.StreamAsync(user.Token, new { interaction_id = interactionId, message = "And 6*8?", max_tokens = 100 });

        Assert.That(second[0].Bool("is_new_interaction"), Is.False);
        Assert.That(second[0].Str("interaction_id"), Is.EqualTo(interactionId));
        var lastRequest = factory.Recorder!.Requests.Last();
        Assert.That(lastRequest.History.Select(t => t.Content), Is.EqualTo(new[] { "What is 6*7?", first[^1].Str("content") }));
        Assert.That(lastRequest.UserText, Is.EqualTo("And 6*8?"));
    }

    [Test]
    public async Task StreamConversation_OtherUsersInteraction_Is404BeforeAnyStream()
    {
        var owner = await Client.RegisterAsync();
        var stranger = await Client.RegisterAsync();
        var events = await Client.StreamAsync(owner.Token, new { message = "Hello there", max_tokens = 50 });

        using var response = await Client.SendAsync(ApiClient.StreamRequest(stranger.Token,
            new { interaction_id = events[0].Str("interaction_id"), message = "Let me in" }));

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("No conversation found!"));
    }

    [Test]
    public async Task StreamConversation_LastEventIdOfFinishedGeneration_Is204WithNoNewAnswer()
    {
        var user = await Client.RegisterAsync();
        var events = await Client.StreamAsync(user.Token, new { message = "Tell me about fractions", max_tokens = 60 });
        var balance = (await Client.GetJsonAsync("/api/account", user.Token)).GetProperty("current_points").GetInt32();

        var retry = ApiClient.StreamRequest(user.Token, new { message = "Tell me about fractions", max_tokens = 60 });
        retry.Headers.Add("Last-Event-ID", events[^1].Id);
        using var response = await Client.SendAsync(retry);

        Assert.That((int)response.StatusCode, Is.EqualTo(204));
        Assert.That((await Client.GetJsonAsync("/api/account", user.Token)).GetProperty("current_points").GetInt32(), Is.EqualTo(balance));
    }

    [Test]
    public async Task StreamConversation_LastEventIdMidway_ResumesWithTheRemainingEvents()
    {
        var user = await Client.RegisterAsync();
        var events = await Client.StreamAsync(user.Token, new { message = "What is 100/4?", max_tokens = 60 });

        var resume = ApiClient.StreamRequest(user.Token, new { message = "ignored on resume" });
        resume.Headers.Add("Last-Event-ID", events[2].Id);
        using var response = await Client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        var replayed = await SseStream.ReadAllAsync(response);

        Assert.That(replayed.Select(e => e.Id), Is.EqualTo(events.Skip(3).Select(e => e.Id)));
        Assert.That(replayed[^1].Str("content"), Is.EqualTo(events[^1].Str("content")));
    }

    [Test]
    public async Task StreamConversation_LastEventIdOfAnotherUsersGeneration_Is404()
    {
        var owner = await Client.RegisterAsync();
        var stranger = await Client.RegisterAsync();
        var events = await Client.StreamAsync(owner.Token, new { message = "Private question", max_tokens = 40 });

        var request = ApiClient.StreamRequest(stranger.Token, new { message = "x" });
        request.Headers.Add("Last-Event-ID", events[1].Id);
        using var response = await Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task StreamConversation_BalanceBelowRequired_Is402WithPoints()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Points:SignupBonus"] = "1" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        var longQuestion = string.Join(' ', Enumerable.Repeat("integration by parts", 60));

        using var response = await client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = longQuestion }));

        Assert.That((int)response.StatusCode, Is.EqualTo(402));
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("current_points").GetInt32(), Is.EqualTo(1));
        Assert.That(body.GetProperty("required_points").GetInt32(), Is.GreaterThan(1));
    }

    [Test]
    public async Task StreamConversation_ShortBalance_ReservesEverythingAndLowersMaxTokens()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Points:SignupBonus"] = "2" });
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        var events = await client.StreamAsync(user.Token, new { message = "Hi", max_tokens = 1000 });

        Assert.That(events[0].Int("reserved_points"), Is.EqualTo(2));
        Assert.That(events[0].Int("max_tokens"), Is.LessThan(1000).And.GreaterThan(0));
        var complete = events[^1];
        Assert.That(complete.Int("output_tokens"), Is.LessThanOrEqualTo(events[0].Int("max_tokens")));
        Assert.That(complete.Int("points_balance"), Is.GreaterThanOrEqualTo(0));
    }
}
