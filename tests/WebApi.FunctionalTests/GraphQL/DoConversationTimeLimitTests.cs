using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.GraphQL;

/// <summary>A slow offline model (a word every 300 ms) and a one-second GraphQL limit.</summary>
public sealed class DoConversationTimeLimitTests
{
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "300",
            ["Limits:GraphQLConversationSeconds"] = "1",
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task DoConversation_PastTheTimeLimit_TimeoutErrorAndPartialAnswerSavedAndCharged()
    {
        var user = await _client.RegisterAsync();

        var response = await _client.GraphQLAsync(user.Token,
            "mutation { do_conversation(input: { message: \"Explain how rainbows form\", max_tokens: 300 }) { success } }");

        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "TIMEOUT" }), response.ToString());
        var error = response.GetProperty("errors")[0];
        Assert.That(error.GetProperty("message").GetString(), Does.Contain("/api/stream/stream-conversation"));
        var list = await _client.GetJsonAsync("/api/interactions", user.Token);
        var interactionId = list.GetProperty("items")[0].GetProperty("id").GetGuid();
        var answer = (await _client.GetJsonAsync($"/api/interactions/{interactionId}/messages", user.Token)).GetProperty("items")[0];
        Assert.That(answer.GetProperty("role").GetString(), Is.EqualTo("assistant"));
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
        Assert.That(answer.GetProperty("content").GetString(), Is.Not.Empty);
        var charge = await _client.LatestLedgerEntryAsync(user.Token);
        Assert.That(charge.GetProperty("points").GetInt32(), Is.EqualTo(answer.GetProperty("points_cost").GetInt32()).And.GreaterThan(0));
        Assert.That(error.GetProperty("extensions").GetProperty("generation_id").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task CancelGeneration_MutationWhileStreaming_StreamCompletesCancelled()
    {
        var user = await _client.RegisterAsync();
        using var stream = await _client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Explain how volcanoes erupt", max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(stream).GetAsyncEnumerator();
        var events = new List<SseEvent>();
        while (events.Count(e => e.Type == "token") < 1 && await reader.MoveNextAsync()) events.Add(reader.Current);

        var response = await _client.GraphQLAsync(user.Token, "mutation($id: ID!) { cancel_generation(interaction_id: $id) }",
            new { id = events[0].Str("interaction_id") });
        while (await reader.MoveNextAsync()) events.Add(reader.Current);

        Assert.That(response.GetProperty("data").GetProperty("cancel_generation").GetBoolean(), Is.True, response.ToString());
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events[^1].Str("finish_reason"), Is.EqualTo("cancelled"));
    }
}
