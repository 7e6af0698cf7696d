using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>Helpers for the thread endpoints and the GraphQL endpoint.</summary>
public static class ThreadsClient
{
    /// <summary>Asks a question in a new thread (or <paramref name="interactionId"/>) and returns the thread's id and the events.</summary>
    public static async Task<(Guid InteractionId, List<SseEvent> Events)> AskAsync(
        this HttpClient client, string token, string message, Guid? interactionId = null)
    {
        var events = await client.StreamAsync(token, new { message, interaction_id = interactionId?.ToString(), max_tokens = 300 });
        return (Guid.Parse(events[0].Str("interaction_id")!), events);
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = ApiClient.RawRequest(method, path, token, body is null ? null : JsonSerializer.Serialize(body));
        return await client.SendAsync(request);
    }

    /// <summary>POSTs a GraphQL request and returns the whole response body (HTTP 200 expected).</summary>
    public static async Task<JsonElement> GraphQLAsync(this HttpClient client, string token, string query, object? variables = null)
    {
        using var response = await client.SendGraphQLAsync(token, JsonSerializer.Serialize(new { query, variables }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<HttpResponseMessage> SendGraphQLAsync(this HttpClient client, string? token, string json)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/graphql", token, json);
        return await client.SendAsync(request);
    }

    /// <summary>The <c>extensions.code</c> of every error in a GraphQL response.</summary>
    public static string[] ErrorCodes(this JsonElement response) =>
        response.TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()!).ToArray()
            : [];

    public static async Task<JsonElement> LatestLedgerEntryAsync(this HttpClient client, string token)
    {
        var page = await client.GetJsonAsync("/api/account/points/transactions?page=1&size=1", token);
        return page.GetProperty("items")[0];
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
