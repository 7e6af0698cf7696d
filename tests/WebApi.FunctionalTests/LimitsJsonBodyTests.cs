using Microsoft.AspNetCore.Http;
using System.Text;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>JSON bodies over <c>Limits:MaxJsonBodyBytes</c> (64 KB by default) are a 413 problem, declared length or not.</summary>
public sealed class LimitsJsonBodyTests
{
    private static readonly string SeventyKilobytes = JsonSerializer.Serialize(new { message = new string('a', 70 * 1024) });

    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;
    private ApiClient.RegisteredUser _user = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
        _user = await _client.RegisterAsync();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase("/api/stream/stream-conversation")]
    [TestCase("/api/auth/login")]
    public async Task Post_SeventyKilobyteJson_Is413Problem(string path)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, path, _user.Token, SeventyKilobytes);
        using var response = await _client.SendAsync(request);

        await AssertPayloadTooLargeAsync(response);
    }

    [Test]
    public async Task StreamConversation_SeventyKilobyteJsonWithoutContentLength_Is413Problem()
    {
        // No declared length (a chunked upload): the limit must be enforced while the body is read.
        var body = Encoding.UTF8.GetBytes(SeventyKilobytes);
        var context = await _factory.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/api/stream/stream-conversation";
            http.Request.ContentType = "application/json";
            http.Request.Headers.Authorization = $"Bearer {_user.Token}";
            http.Request.Body = new MemoryStream(body);
        });

        Assert.That(context.Request.ContentLength, Is.Null);
        Assert.That(context.Response.StatusCode, Is.EqualTo(413));
        Assert.That(context.Response.ContentType, Does.StartWith("application/problem+json"));
        var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(413));
    }

    private static async Task AssertPayloadTooLargeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(413), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(413));
    }
}
