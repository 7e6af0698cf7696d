using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StudyGuru.Cli;

/// <summary>The few HTTP calls the checks need, with the token attached when there is one.</summary>
public sealed class StudyGuruClient(HttpClient http)
{
    public string? Token { get; set; }

    public async Task<string> RegisterThrowawayAsync(CancellationToken cancellationToken)
    {
        var body = new { email = $"cli-{Guid.NewGuid():N}@example.com", password = "secret123" };
        using var response = await http.PostAsJsonAsync("/api/auth/register", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) throw new HttpRequestException($"register: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        return SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, cancellationToken);

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // Headers first: the body of a stream is read as it arrives.
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
