using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace StudyGuru.Cli;

/// <summary>The checks: each prints what it saw and returns whether the server behaved as the guide says.</summary>
public sealed class Checks(StudyGuruClient client, TextWriter output)
{
    public async Task<bool> HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("/api/stream/health", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        output.WriteLine($"health: {(int)response.StatusCode} {body}");
        return response.StatusCode == HttpStatusCode.OK && body.Contains("\"healthy\"", StringComparison.Ordinal);
    }

    public Task<bool> SimpleStreamAsync(string message, CancellationToken cancellationToken) =>
        StreamAsync("simple", "start", () => client.GetAsync($"/api/stream/stream-simple?message={Uri.EscapeDataString(message)}", cancellationToken), cancellationToken);

    public Task<bool> FullStreamAsync(string message, CancellationToken cancellationToken) =>
        StreamAsync("full", "metadata", () => client.PostJsonAsync("/api/stream/stream-conversation",
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["message"] = message, ["max_tokens"] = 300 }), cancellationToken), cancellationToken);

    /// <summary>Refusals come before the stream as problem responses with the documented status.</summary>
    public async Task<bool> ErrorCasesAsync(CancellationToken cancellationToken)
    {
        var token = client.Token;
        var passed = true;
        client.Token = null;
        passed &= await ExpectProblemAsync("no token", 401, () => client.PostJsonAsync("/api/stream/stream-conversation", """{"message":"hi"}""", cancellationToken), cancellationToken);
        client.Token = token;
        passed &= await ExpectProblemAsync("blank message", 400, () => client.PostJsonAsync("/api/stream/stream-conversation", """{"message":"  "}""", cancellationToken), cancellationToken);
        passed &= await ExpectProblemAsync("max_tokens 0", 400, () => client.PostJsonAsync("/api/stream/stream-conversation", """{"message":"hi","max_tokens":0}""", cancellationToken), cancellationToken);
        passed &= await ExpectProblemAsync("unknown field", 400, () => client.PostJsonAsync("/api/stream/stream-conversation", """{"message":"hi","colour":"red"}""", cancellationToken), cancellationToken);
        passed &= await ExpectProblemAsync("malformed JSON", 400, () => client.PostJsonAsync("/api/stream/stream-conversation", """{"message":""", cancellationToken), cancellationToken);
        passed &= await ExpectProblemAsync("unknown interaction", 404, () => client.PostJsonAsync("/api/stream/stream-conversation",
            $$"""{"message":"hi","interaction_id":"{{Guid.NewGuid()}}"}""", cancellationToken), cancellationToken);
        passed &= await ExpectProblemAsync("unknown generation (Last-Event-ID)", 404, () => client.GetAsync(
            "/api/stream/stream-simple?message=hi", cancellationToken, lastEventId: $"{Guid.NewGuid()}:3"), cancellationToken);
        return passed;
    }

    private async Task<bool> ExpectProblemAsync(string name, int status, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await send();
        var type = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ok = (int)response.StatusCode == status && type == "application/problem+json";
        output.WriteLine($"{(ok ? "PASS" : "FAIL")} {name}: {(int)response.StatusCode} {type} {Shorten(body)}");
        return ok;
    }

    private async Task<bool> StreamAsync(string name, string firstType, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await send();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            output.WriteLine($"{name}: refused {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            return false;
        }
        var events = new List<StreamEvent>();
        var answer = new StringBuilder();
        TimeSpan? firstToken = null;
        await foreach (var item in SseReader.ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken))
        {
            events.Add(item);
            if (item.Type == "token")
            {
                firstToken ??= Stopwatch.GetElapsedTime(started);
                answer.Append(item.Text("content"));
                output.Write(item.Text("content"));
            }
            else output.WriteLine($"{(answer.Length > 0 ? "\n" : "")}[{item.Id}] {item.Type}: {Shorten(item.Data.ToString())}");
        }
        var last = events.LastOrDefault();
        var ok = events.Count >= 2 && events[0].Type == firstType && last?.Type == "complete"
            && last.Text("content") == answer.ToString()
            && events.Select((e, i) => e.Id?.EndsWith($":{i + 1}", StringComparison.Ordinal) == true).All(x => x);
        output.WriteLine($"{(ok ? "PASS" : "FAIL")} {name}: {events.Count} events, first token after {firstToken?.TotalMilliseconds:0} ms, "
            + $"total {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        return ok;
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
