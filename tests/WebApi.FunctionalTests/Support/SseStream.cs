using System.Net.ServerSentEvents;
using System.Text.Json;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>One parsed SSE event: its id and its JSON data.</summary>
public sealed record SseEvent(string? Id, JsonElement Data)
{
    public string Type => Data.GetProperty("type").GetString()!;
    public string? Str(string name) => Data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    public int Int(string name) => Data.GetProperty(name).GetInt32();
    public bool Bool(string name) => Data.GetProperty(name).GetBoolean();
    public long Sequence => long.Parse(Id![(Id!.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Reads a real SSE response with the framework's SSE parser.</summary>
public static class SseStream
{
    public static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var events = new List<SseEvent>();
        await foreach (var item in ReadAsync(response, cancellationToken)) events.Add(item);
        return events;
    }

    public static async IAsyncEnumerable<SseEvent> ReadAsync(
        HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var parser = SseParser.Create(stream, (_, bytes) => JsonDocument.Parse(bytes.ToArray()).RootElement.Clone());
        await foreach (var item in parser.EnumerateAsync(cancellationToken))
        {
            if (item.EventType != SseParser.EventTypeDefault)
                throw new InvalidOperationException($"Streams must not carry an event: field, got '{item.EventType}'.");
            yield return new SseEvent(item.EventId, item.Data);
        }
    }
}
