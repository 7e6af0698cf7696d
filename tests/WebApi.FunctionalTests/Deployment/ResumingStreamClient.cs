using System.Diagnostics;
using System.Net;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>What one answer looked like to its client: every event in arrival order, and what it cost to get them.</summary>
public sealed record ConversationRecord(
    List<SseEvent> Events, int Reconnects, int Refusals503, TimeSpan RetryAfterWaited, TimeSpan Duration, List<string> Trouble)
{
    public SseEvent? Terminal => Events.Count > 0 && Events[^1].Type is "complete" or "error" ? Events[^1] : null;
    public int TerminalCount => Events.Count(e => e.Type is "complete" or "error");
}

/// <summary>
/// A client that behaves like a browser's EventSource with an Idempotency-Key: it sends the question, and whenever
/// the connection drops before a terminal event (an instance died or drained), it reconnects with the last
/// <c>Last-Event-ID</c> it received (through the same load balancer) until it has the terminal event or a 204.
/// A 503 is retried after its <c>Retry-After</c>; a refused or broken connection after <see cref="ReconnectDelay"/>.
/// </summary>
public static class ResumingStreamClient
{
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(500);

    public static async Task<ConversationRecord> ConverseAsync(HttpClient http, string token, object body, TimeSpan limit,
        Action<SseEvent>? onEvent = null)
    {
        var key = Guid.NewGuid().ToString();
        var events = new List<SseEvent>();
        var trouble = new List<string>();
        int reconnects = 0, refusals = 0;
        var waited = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var request = ApiClient.StreamRequest(token, body);
            request.Headers.Add("Idempotency-Key", key);
            if (events.Count > 0) request.Headers.Add("Last-Event-ID", events[^1].Id);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == HttpStatusCode.NoContent) break;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refusals++;
                    var wait = response.Headers.RetryAfter?.Delta ?? ReconnectDelay;
                    waited += wait;
                    await Task.Delay(wait);
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    trouble.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    if ((int)response.StatusCode is 502 or 504) { reconnects++; await Task.Delay(ReconnectDelay); continue; }
                    break;
                }
                await foreach (var item in SseStream.ReadAsync(response))
                {
                    events.Add(item);
                    onEvent?.Invoke(item);
                    if (item.Type is "complete" or "error") break;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                // The connection broke (an instance died under nginx): reconnect like EventSource does.
            }
            if (events.Count > 0 && events[^1].Type is "complete" or "error") break;
            reconnects++;
            await Task.Delay(ReconnectDelay);
        }
        return new ConversationRecord(events, reconnects, refusals, waited, clock.Elapsed, trouble);
    }

    /// <summary>Problems with one answer's events: gaps, repeats, several or no terminal events, a complete whose content is not its tokens.</summary>
    public static IEnumerable<string> Defects(ConversationRecord record)
    {
        var sequences = record.Events.Select(e => e.Sequence).ToList();
        if (!sequences.SequenceEqual(Enumerable.Range(1, sequences.Count).Select(i => (long)i)))
            yield return $"sequences {string.Join(",", sequences)}";
        if (record.Events.Select(e => e.Id![..e.Id!.LastIndexOf(':')]).Distinct().Count() > 1)
            yield return "events of several generations";
        if (record.TerminalCount != 1 || record.Terminal is null)
            yield return $"{record.TerminalCount} terminal events, last {record.Events.LastOrDefault()?.Type ?? "none"}";
        if (record.Terminal is { Type: "complete" } complete)
        {
            var tokens = string.Concat(record.Events.Where(e => e.Type == "token").Select(e => e.Str("content")));
            if (complete.Str("content") != tokens) yield return "complete.content differs from the tokens received";
        }
        foreach (var problem in record.Trouble) yield return problem;
    }
}
