using System.Text.Json;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Interactions;

/// <summary>
/// Titles with the Semantic Kernel adapter against the OpenAI-compatible test server: the fallback title comes
/// with the answer, then one background title call (after <c>complete</c>, never delaying it) replaces it unless
/// the student renamed the thread meanwhile.
/// </summary>
public sealed class GeneratedTitleTests
{
    private const string TitleReply = "{\"title\": \"Photosynthesis basics\", \"summary_title\": \"Help with photosynthesis\"}";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private FakeOpenAiServer _server = null!;
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = _server.Endpoint.ToString(),
            ["Ai:Model"] = "test",
            ["Ai:ApiKey"] = "test-key",
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task TitleRefresh_AfterCompletedAnswer_RequestedAfterCompleteAndReplacesBothTitles()
    {
        var lastChunk = new FakeOpenAiGate();
        var titleReply = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with
        {
            Tokens = ["Plants", " use", " light", " to", " make", " sugar."],
            LastChunkGate = lastChunk,
            NonStreamingContent = TitleReply,
            NonStreamingGate = titleReply,
        };
        var before = _server.Requests.Count;
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "How do plants make their food from sunlight?", max_tokens = 300 }),
            HttpCompletionOption.ResponseHeadersRead);
        await using var reader = SseStream.ReadAsync(response).GetAsyncEnumerator();
        var events = new List<SseEvent>();
        while (events.Count(e => e.Type == "token") < 5 && await reader.MoveNextAsync()) events.Add(reader.Current);

        // While the answer is still streaming, only the answer's request has reached the server.
        Assert.That(_server.Requests.Skip(before).Select(r => r.IsStreaming).ToArray(), Is.EqualTo(new[] { true }));
        lastChunk.Open();
        while (await reader.MoveNextAsync()) events.Add(reader.Current);
        var interactionId = events[0].Str("interaction_id");

        // `complete` arrived although the title reply is still held: the title never delays the answer.
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events[^1].Str("content"), Is.EqualTo("Plants use light to make sugar."));
        var titleRequest = await _server.WaitForRequestAsync(before + 2, Patience);
        Assert.That(titleRequest.IsStreaming, Is.False);
        Assert.That(titleRequest.Body, Does.Contain("How do plants make their food from sunlight?"));
        var fallback = await _client.GetJsonAsync($"/api/interactions/{interactionId}", user.Token);
        Assert.That(fallback.GetProperty("title").GetString(), Is.EqualTo("How do plants make their food from sunli"));

        titleReply.Open();
        var titled = await EventuallyAsync(user.Token, interactionId!, i => i.GetProperty("title").GetString() == "Photosynthesis basics");
        Assert.That(titled.GetProperty("summary_title").GetString(), Is.EqualTo("Help with photosynthesis"));
        var account = await _client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("total_points_used").GetInt32(), Is.EqualTo(events[^1].Int("points_cost")), "the title call is not charged");
    }

    [Test]
    public async Task TitleRefresh_RenamedBeforeTheTitleLands_RenameWins()
    {
        var titleReply = new FakeOpenAiGate();
        _server.Script = FakeOpenAiScript.Default with
        {
            Tokens = ["Leaves", " are", " green."],
            NonStreamingContent = TitleReply,
            NonStreamingGate = titleReply,
        };
        var before = _server.Requests.Count;
        var user = await _client.RegisterAsync();
        var (renamed, _) = await _client.AskAsync(user.Token, "Why are leaves green?");
        var (untouched, _) = await _client.AskAsync(user.Token, "Why are leaves green in summer?");
        // Both title calls are held at the server: two answers, two title requests.
        await _server.WaitForRequestAsync(before + 4, Patience);

        using (var rename = await _client.SendAsync(HttpMethod.Patch, $"/api/interactions/{renamed}", user.Token, new { title = "My leaf notes" }))
            Assert.That((int)rename.StatusCode, Is.EqualTo(200));
        titleReply.Open();

        // Both replies were released together; once the untouched thread has its generated title, the
        // renamed one has had its chance too.
        await EventuallyAsync(user.Token, untouched.ToString(), i => i.GetProperty("title").GetString() == "Photosynthesis basics");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var kept = await _client.GetJsonAsync($"/api/interactions/{renamed}", user.Token);
        Assert.That(kept.GetProperty("title").GetString(), Is.EqualTo("My leaf notes"));
        Assert.That(kept.GetProperty("summary_title").GetString(), Is.EqualTo("Help with why are leaves green?"));
    }

    private async Task<JsonElement> EventuallyAsync(string token, string interactionId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var interaction = await _client.GetJsonAsync($"/api/interactions/{interactionId}", token);
            if (condition(interaction)) return interaction;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Condition not met in time; last seen: {interaction}");
            await Task.Delay(50);
        }
    }
}
