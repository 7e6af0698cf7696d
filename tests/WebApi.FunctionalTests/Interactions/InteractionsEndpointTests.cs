using System.Net;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Interactions;

public sealed class InteractionsEndpointTests
{
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase("size=101")]
    [TestCase("size=0")]
    [TestCase("page=0")]
    public async Task ListInteractions_PagingOutOfRange_Returns400(string paging)
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/api/interactions?{paging}", user.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task ListInteractions_ThreeThreadsInPagesOfTwo_PagesWithTotalAndNextPage()
    {
        var user = await _client.RegisterAsync();
        for (var i = 0; i < 3; i++) await _client.AskAsync(user.Token, $"What is {i} + 1?");

        var first = await _client.GetJsonAsync("/api/interactions?page=1&size=2", user.Token);
        var second = await _client.GetJsonAsync("/api/interactions?page=2&size=2", user.Token);
        var pastTheEnd = await _client.GetJsonAsync("/api/interactions?page=3&size=2", user.Token);

        Assert.That(first.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
        Assert.That(first.GetProperty("has_next_page").GetBoolean(), Is.True);
        Assert.That(second.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        Assert.That(second.GetProperty("has_next_page").GetBoolean(), Is.False);
        Assert.That(pastTheEnd.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(pastTheEnd.GetProperty("has_next_page").GetBoolean(), Is.False);
        Assert.That(pastTheEnd.GetProperty("total").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task ListInteractions_OnePinned_PinnedFirstThenNewestLastMessage()
    {
        var user = await _client.RegisterAsync();
        var (oldest, _) = await _client.AskAsync(user.Token, "What is 1 + 1?");
        var (middle, _) = await _client.AskAsync(user.Token, "What is 2 + 2?");
        var (newest, _) = await _client.AskAsync(user.Token, "What is 3 + 3?");
        using (var pin = await _client.SendAsync(HttpMethod.Patch, $"/api/interactions/{oldest}", user.Token, new { is_pinned = true }))
            Assert.That(pin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // A new answer in the middle thread makes it the most recent unpinned one.
        await _client.AskAsync(user.Token, "And 4 + 4?", middle);

        var list = await _client.GetJsonAsync("/api/interactions", user.Token);

        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.That(ids, Is.EqualTo(new[] { oldest, middle, newest }));
        Assert.That(list.GetProperty("items")[0].GetProperty("is_pinned").GetBoolean(), Is.True);
    }

    [Test]
    public async Task GetInteraction_AfterFirstAnswer_HasFallbackTitlesAndNoActiveGeneration()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "Why is the sky blue on a clear summer afternoon?");

        var interaction = await _client.GetJsonAsync($"/api/interactions/{id}", user.Token);

        Assert.That(interaction.GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(interaction.GetProperty("title").GetString(), Is.EqualTo("Why is the sky blue on a clear summer af"));
        Assert.That(interaction.GetProperty("summary_title").GetString(), Is.EqualTo("Help with why is the sky blue on a clear summer af"));
        Assert.That(interaction.GetProperty("is_pinned").GetBoolean(), Is.False);
        Assert.That(interaction.GetProperty("active_generation_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        foreach (var time in new[] { "created_at", "updated_at", "last_message_at" })
            Assert.That(interaction.GetProperty(time).GetDateTime(), Is.Not.EqualTo(default(DateTime)), time);
    }

    [Test]
    public async Task UpdateInteraction_Rename_PersistsTitleAndKeepsSummaryTitle()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 6 * 7?");

        using var response = await _client.SendAsync(HttpMethod.Patch, $"/api/interactions/{id}", user.Token, new { title = "  Times tables  " });
        var updated = await response.ReadJsonAsync();
        var reloaded = await _client.GetJsonAsync($"/api/interactions/{id}", user.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(updated.GetProperty("title").GetString(), Is.EqualTo("Times tables"));
        Assert.That(reloaded.GetProperty("title").GetString(), Is.EqualTo("Times tables"));
        Assert.That(reloaded.GetProperty("summary_title").GetString(), Is.EqualTo("Help with what is 6 * 7?"));
        Assert.That(reloaded.GetProperty("is_pinned").GetBoolean(), Is.False);
    }

    [Test]
    public async Task UpdateInteraction_PinThenUnpin_Persisted()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 5 - 3?");

        (await _client.SendAsync(HttpMethod.Patch, $"/api/interactions/{id}", user.Token, new { is_pinned = true })).Dispose();
        var pinned = await _client.GetJsonAsync($"/api/interactions/{id}", user.Token);
        (await _client.SendAsync(HttpMethod.Patch, $"/api/interactions/{id}", user.Token, new { is_pinned = false })).Dispose();
        var unpinned = await _client.GetJsonAsync($"/api/interactions/{id}", user.Token);

        Assert.That(pinned.GetProperty("is_pinned").GetBoolean(), Is.True);
        Assert.That(pinned.GetProperty("title").GetString(), Is.EqualTo("What is 5 - 3?"));
        Assert.That(unpinned.GetProperty("is_pinned").GetBoolean(), Is.False);
    }

    [TestCase("{\"title\":\"   \"}", "title")]
    [TestCase("{}", "title")]
    [TestCase("{\"title\":null,\"is_pinned\":null}", "title")]
    [TestCase("{\"is_pinned\":\"yes\"}", "is_pinned")]
    [TestCase("{\"colour\":\"red\"}", "colour")]
    public async Task UpdateInteraction_InvalidBody_Returns400NamingTheField(string json, string field)
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 9 - 3?");

        using var request = ApiClient.RawRequest(HttpMethod.Patch, $"/api/interactions/{id}", user.Token, json);
        using var response = await _client.SendAsync(request);
        var problem = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Has.Some.Contains(field), problem.ToString());
    }

    [Test]
    public async Task DeleteInteraction_ThreadWithMessages_Returns204AndThreadAndMessagesGone()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 8 / 2?");
        var (kept, _) = await _client.AskAsync(user.Token, "What is 8 * 2?");

        using var deleted = await _client.SendAsync(HttpMethod.Delete, $"/api/interactions/{id}", user.Token);
        using var get = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{id}", user.Token);
        using var messages = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{id}/messages", user.Token);
        using var again = await _client.SendAsync(HttpMethod.Delete, $"/api/interactions/{id}", user.Token);
        var list = await _client.GetJsonAsync("/api/interactions", user.Token);

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(messages.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { kept }));
    }

    [Test]
    public async Task DeleteInteraction_Deleted_AskingInItAgainIs404()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 10 - 4?");
        (await _client.SendAsync(HttpMethod.Delete, $"/api/interactions/{id}", user.Token)).Dispose();

        using var response = await _client.SendAsync(ApiClient.StreamRequest(user.Token, new { message = "More?", interaction_id = id.ToString() }));
        var problem = await response.ReadJsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("No conversation found!"));
    }

    [Test]
    public async Task ListMessages_TwoQuestions_NewestFirstWithPaging()
    {
        var user = await _client.RegisterAsync();
        var (id, firstEvents) = await _client.AskAsync(user.Token, "What is 2 * 21?");
        var (_, secondEvents) = await _client.AskAsync(user.Token, "What is 3 * 14?", id);

        var firstPage = await _client.GetJsonAsync($"/api/interactions/{id}/messages?limit=3&offset=0", user.Token);
        var lastPage = await _client.GetJsonAsync($"/api/interactions/{id}/messages?limit=3&offset=3", user.Token);
        var pastTheEnd = await _client.GetJsonAsync($"/api/interactions/{id}/messages?limit=3&offset=10", user.Token);

        Assert.That(firstPage.GetProperty("total").GetInt32(), Is.EqualTo(4));
        Assert.That(firstPage.GetProperty("has_next_page").GetBoolean(), Is.True);
        var items = firstPage.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(m => m.GetProperty("role").GetString()), Is.EqualTo(new[] { "assistant", "user", "assistant" }));
        Assert.That(items[0].GetProperty("content").GetString(), Is.EqualTo(secondEvents[^1].Str("content")));
        Assert.That(items[0].GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(items[0].GetProperty("tokens_used").GetInt32(), Is.EqualTo(secondEvents[^1].Int("tokens_used")));
        Assert.That(items[0].GetProperty("points_cost").GetInt32(), Is.EqualTo(secondEvents[^1].Int("points_cost")));
        Assert.That(items[0].GetProperty("media").GetArrayLength(), Is.Zero);
        Assert.That(items[1].GetProperty("content").GetString(), Is.EqualTo("What is 3 * 14?"));
        Assert.That(items[2].GetProperty("content").GetString(), Is.EqualTo(firstEvents[^1].Str("content")));
        Assert.That(items[0].GetProperty("created_at").GetDateTime(), Is.GreaterThanOrEqualTo(items[2].GetProperty("created_at").GetDateTime()));
        Assert.That(lastPage.GetProperty("items").EnumerateArray().Single().GetProperty("content").GetString(), Is.EqualTo("What is 2 * 21?"));
        Assert.That(lastPage.GetProperty("has_next_page").GetBoolean(), Is.False);
        Assert.That(pastTheEnd.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(pastTheEnd.GetProperty("has_next_page").GetBoolean(), Is.False);
    }

    [TestCase("limit=101")]
    [TestCase("limit=0")]
    [TestCase("offset=-1")]
    public async Task ListMessages_PagingOutOfRange_Returns400(string paging)
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 1 * 1?");
        using var response = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{id}/messages?{paging}", user.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task EveryEndpoint_AnotherUsersThread_Returns404AndLeavesItAlone()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(owner.Token, "What is 7 + 7?");

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/interactions/{id}", null),
            (HttpMethod.Patch, $"/api/interactions/{id}", new { title = "Mine now", is_pinned = true }),
            (HttpMethod.Delete, $"/api/interactions/{id}", null),
            (HttpMethod.Get, $"/api/interactions/{id}/messages", null),
            (HttpMethod.Post, $"/api/interactions/{id}/cancel", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var response = await _client.SendAsync(method, path, stranger.Token, body);
            var problem = await response.ReadJsonAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{method} {path}");
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("No conversation found!"), $"{method} {path}");
        }

        var untouched = await _client.GetJsonAsync($"/api/interactions/{id}", owner.Token);
        Assert.That(untouched.GetProperty("title").GetString(), Is.EqualTo("What is 7 + 7?"));
        Assert.That(untouched.GetProperty("is_pinned").GetBoolean(), Is.False);
        var strangersList = await _client.GetJsonAsync("/api/interactions", stranger.Token);
        Assert.That(strangersList.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task GetInteraction_UnknownId_Returns404()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{Guid.NewGuid()}", user.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CancelGeneration_NothingRunning_Returns404()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 4 * 4?");
        using var response = await _client.SendAsync(HttpMethod.Post, $"/api/interactions/{id}/cancel", user.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ListInteractions_NoToken_Returns401()
    {
        using var response = await _client.SendAsync(ApiClient.RawRequest(HttpMethod.Get, "/api/interactions", null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
