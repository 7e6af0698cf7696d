using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>
/// Requests written by someone trying to break the API: each is refused with a problem body, in the order of
/// the status precedence (401, Last-Event-ID, 413, 415, 400, 404, 422), never with a 500 or a stream.
/// </summary>
public sealed class HostileRequestTests : SharedApiTests
{
    private static readonly string SeventyKilobytes = JsonSerializer.Serialize(new { message = new string('a', 70 * 1024) });

    [TestCase("""{"message":"hi","media_files":[null]}""", "media_files")]
    [TestCase("""{"message":"hi","media_files":[{"id":null},null]}""", "media_files")]
    public async Task StreamConversation_NullArrayElement_Is400NamingTheField(string json, string field)
    {
        using var response = await Client.SendAsync(EventStreamRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, json));
        var problem = await AssertProblemAsync(response, 400);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(errors, Has.Some.StartsWith(field), problem.ToString());
    }

    [Test]
    public async Task Register_EightParallelWithOneEmail_OneCreatedTheRestConflict()
    {
        var email = $"race-{Guid.NewGuid():N}@example.com";
        var body = JsonSerializer.Serialize(new { email, password = "secret123" });
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/register", null, body))));
        var statuses = responses.Select(r => (int)r.StatusCode).OrderBy(s => s).ToList();
        Assert.That(statuses, Is.EqualTo(new[] { 201, 409, 409, 409, 409, 409, 409, 409 }),
            string.Join("\n", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))));
        foreach (var conflict in responses.Where(r => (int)r.StatusCode == 409))
            await AssertProblemAsync(conflict, 409);
    }

    [TestCase("GET", "/api/no-such-route", 404)]
    [TestCase("GET", "/api/stream/generations/not-a-guid", 404)]
    [TestCase("GET", "/api/interactions/not-a-guid", 404)]
    [TestCase("DELETE", "/api/stream/stream-conversation", 405)]
    [TestCase("PUT", "/api/account", 405)]
    public async Task FrameworkRefusal_WithEventStreamAccept_IsProblemJson(string method, string path, int status)
    {
        using var response = await Client.SendAsync(EventStreamRequest(new HttpMethod(method), path, Student.Token));
        await AssertProblemAsync(response, status);
    }

    [TestCase("text/event-stream")]
    [TestCase("text/plain")]
    [TestCase("text/html")]
    public async Task StreamConversation_TextPlainBody_Is415ProblemWhateverTheAccept(string accept)
    {
        using var request = EventStreamRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, "{\"message\":\"hi\"}", "text/plain");
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd(accept);
        using var response = await Client.SendAsync(request);
        await AssertProblemAsync(response, 415);
    }

    [Test]
    public async Task GraphQL_NoContentTypeTwoMegabyteDocument_Is413Problem()
    {
        var json = JsonSerializer.Serialize(new { query = "{ account { id } }" + new string(' ', 2 * 1024 * 1024) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Student.Token);
        using var response = await Client.SendAsync(request);
        await AssertProblemAsync(response, 413);
    }

    [Test]
    public async Task GraphQL_OverLimitWithTextPlain_Is413Problem()
    {
        var json = JsonSerializer.Serialize(new { query = "{ account { id } }" + new string(' ', 70 * 1024) });
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/graphql", Student.Token, json, "text/plain"));
        await AssertProblemAsync(response, 413);
    }

    [TestCase("/api/interactions?page=21474838&size=100")]
    [TestCase("/api/account/points/transactions?page=21474838&size=100")]
    [TestCase("/api/interactions?page=2147483647&size=2")]
    public async Task List_PageWhoseOffsetOverflows_Is400(string path)
    {
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Get, path, Student.Token));
        await AssertProblemAsync(response, 400);
    }

    [TestCase("/api/interactions?page=21474836&size=100")]
    [TestCase("/api/account/points/transactions?page=21474836&size=100")]
    public async Task List_PagePastTheEnd_IsEmptyWithNoNextPage(string path)
    {
        var page = await Client.GetJsonAsync(path, Student.Token);
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.Zero);
        Assert.That(page.GetProperty("has_next_page").GetBoolean(), Is.False);
    }

    [Test]
    public async Task GraphQL_InteractionsPageWhoseOffsetOverflows_BadUserInput()
    {
        using var response = await Client.SendGraphQLAsync(Student.Token,
            JsonSerializer.Serialize(new { query = "{ interactions(page: 21474838, size: 100) { total has_next_page result { id } } }" }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        Assert.That(JsonDocument.Parse(body).RootElement.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }), body);
    }

    [TestCase("/api/stream/stream-conversation")]
    [TestCase("/graphql")]
    [TestCase("/api/interactions/00000000-0000-0000-0000-000000000001")]
    public async Task Unauthenticated_SeventyKilobyteBody_Is401Not413(string path)
    {
        var method = path.StartsWith("/api/interactions/", StringComparison.Ordinal) ? HttpMethod.Patch : HttpMethod.Post;
        using var response = await Client.SendAsync(ApiClient.RawRequest(method, path, null, SeventyKilobytes));
        await AssertProblemAsync(response, 401);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task StreamConversation_ValidLastEventIdWithOversizedBody_Resumes()
    {
        var events = await Client.StreamAsync(Student.Token, new { message = "What is 2+2?" });
        var last = events[^1];
        using var request = EventStreamRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, SeventyKilobytes);
        request.Headers.Add("Last-Event-ID", last.Id);
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(204), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task StreamConversation_MalformedLastEventIdWithOversizedBody_Is400()
    {
        using var request = EventStreamRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, SeventyKilobytes);
        request.Headers.Add("Last-Event-ID", "not-an-id");
        using var response = await Client.SendAsync(request);
        await AssertProblemAsync(response, 400);
    }

    private static HttpRequestMessage EventStreamRequest(HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json")
    {
        var request = ApiClient.RawRequest(method, path, token, json, contentType);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status), body);
        return problem;
    }
}
