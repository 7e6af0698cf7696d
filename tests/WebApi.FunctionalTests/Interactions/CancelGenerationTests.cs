using System.Net;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Interactions;

/// <summary>A slow offline model (one word every 300 ms), so that a cancel lands while the answer streams.</summary>
public sealed class CancelGenerationTests
{
    private const string Question = "Explain how plants turn sunlight into food";
    /// <summary>A short offline answer (about fifteen words), to compare a cancelled answer with the whole one.</summary>
    private const string ShortQuestion = "What is 12*(3+4)?";
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "300" });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task CancelGeneration_AfterSomeTokens_StreamCompletesCancelledAndChargesWhatWasProduced()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = ShortQuestion, max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        var events = new List<SseEvent>();
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        while (events.Count(e => e.Type == "token") < 2 && await reader.MoveNextAsync()) events.Add(reader.Current);
        var interactionId = events[0].Str("interaction_id");
        var running = await _client.GetJsonAsync($"/api/interactions/{interactionId}", user.Token);

        using var cancel = await _client.SendAsync(HttpMethod.Post, $"/api/interactions/{interactionId}/cancel", user.Token);
        while (await reader.MoveNextAsync()) events.Add(reader.Current);

        Assert.That(running.GetProperty("active_generation_id").GetString(), Is.EqualTo(events[0].Str("generation_id")));
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await cancel.ReadJsonAsync()).GetProperty("generation_id").GetString(), Is.EqualTo(events[0].Str("generation_id")));
        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        Assert.That(complete.Str("finish_reason"), Is.EqualTo("cancelled"));
        Assert.That(complete.Int("points_cost"), Is.GreaterThan(0));

        // The model was stopped upstream: the saved answer is a strict prefix of the whole answer.
        var whole = (await _client.AskAsync((await _client.RegisterAsync()).Token, ShortQuestion)).Events[^1].Str("content")!;
        Assert.That(whole, Does.StartWith(complete.Str("content")!));
        Assert.That(complete.Str("content")!.Length, Is.LessThan(whole.Length));

        var messages = await _client.GetJsonAsync($"/api/interactions/{interactionId}/messages", user.Token);
        var answer = messages.GetProperty("items")[0];
        Assert.That(answer.GetProperty("role").GetString(), Is.EqualTo("assistant"));
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
        Assert.That(answer.GetProperty("content").GetString(), Is.EqualTo(complete.Str("content")));
        Assert.That(answer.GetProperty("points_cost").GetInt32(), Is.EqualTo(complete.Int("points_cost")));
        var charge = await _client.LatestLedgerEntryAsync(user.Token);
        Assert.That(charge.GetProperty("type").GetString(), Is.EqualTo("used"));
        Assert.That(charge.GetProperty("points").GetInt32(), Is.EqualTo(complete.Int("points_cost")));
        var account = await _client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30 - complete.Int("points_cost")));
        var after = await _client.GetJsonAsync($"/api/interactions/{interactionId}", user.Token);
        Assert.That(after.GetProperty("active_generation_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task CancelGeneration_BeforeFirstToken_StreamEndsWithCancelledErrorAndChargesNothing()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = Question, max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);
        var metadata = reader.Current;

        using var cancel = await _client.SendAsync(HttpMethod.Post, $"/api/interactions/{metadata.Str("interaction_id")}/cancel", user.Token);
        var rest = new List<SseEvent>();
        while (await reader.MoveNextAsync()) rest.Add(reader.Current);

        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(rest.Select(e => e.Type), Is.EqualTo(new[] { "error" }));
        Assert.That(rest[0].Str("code"), Is.EqualTo("cancelled"));
        var account = await _client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30));
        Assert.That(account.GetProperty("total_points_used").GetInt32(), Is.Zero);
    }

    /// <summary>A delete stops the answer like a cancel: the tokens produced are charged (the first
    /// version handed the whole reservation back, so deleting a thread made its answer free).</summary>
    [Test]
    public async Task DeleteInteraction_WhileAnswering_StopsLikeACancelAndChargesTheTokensProduced()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = Question, max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        var events = new List<SseEvent>();
        while (events.Count(e => e.Type == "token") < 3 && await reader.MoveNextAsync()) events.Add(reader.Current);

        using var deleted = await _client.SendAsync(HttpMethod.Delete, $"/api/interactions/{events[0].Str("interaction_id")}", user.Token);
        while (await reader.MoveNextAsync()) events.Add(reader.Current);

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var terminal = events[^1];
        Assert.That(terminal.Type, Is.EqualTo("complete"), terminal.Data.ToString());
        Assert.That(terminal.Str("finish_reason"), Is.EqualTo("cancelled"));
        Assert.That(terminal.Int("points_cost"), Is.GreaterThan(0));
        using var get = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{events[0].Str("interaction_id")}", user.Token);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var account = await _client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("total_points_used").GetInt32(), Is.EqualTo(terminal.Int("points_cost")));
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30 - terminal.Int("points_cost")),
            "the rest of the reservation came back");
    }
}
