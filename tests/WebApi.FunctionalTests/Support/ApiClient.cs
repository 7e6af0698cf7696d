using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>Small helpers over HttpClient for the API's JSON and SSE endpoints.</summary>
public static class ApiClient
{
    public sealed record RegisteredUser(Guid Id, string Email, string Token);

    public static async Task<RegisteredUser> RegisterAsync(this HttpClient client, string? email = null, string password = "secret123")
    {
        email ??= $"student-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new RegisteredUser(body.GetProperty("user").GetProperty("id").GetGuid(), email, body.GetProperty("access_token").GetString()!);
    }

    public static HttpRequestMessage StreamRequest(string token, object body, string path = "/api/stream/stream-conversation")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }

    public static HttpRequestMessage RawRequest(HttpMethod method, string path, string? token, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Sends a stream request and reads every event to the end.</summary>
    public static async Task<List<SseEvent>> StreamAsync(this HttpClient client, string token, object body)
    {
        using var response = await client.SendAsync(StreamRequest(token, body), HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await ProblemText(response));
        return await SseStream.ReadAllAsync(response);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, string token)
    {
        using var request = RawRequest(HttpMethod.Get, path, token);
        using var response = await client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> ProblemText(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}
