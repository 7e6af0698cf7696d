using System.Runtime.CompilerServices;
using System.Text.Json;

namespace StudyGuru.Cli;

/// <summary>One event of a stream: its <c>id:</c> and the JSON of its <c>data:</c> line.</summary>
public sealed record StreamEvent(string? Id, JsonElement Data)
{
    public string Type => Data.GetProperty("type").GetString() ?? "";
    public string Text(string name) => Data.TryGetProperty(name, out var value) ? value.ToString() : "";
}

/// <summary>Reads SSE line by line (the reader buffers partial lines); an event ends at a blank line; comments are skipped.</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<StreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        string? id = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) yield return new StreamEvent(id, JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone());
                data.Clear();
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal)) id = line[3..].TrimStart();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].TrimStart(' '));
            else if (line.StartsWith("event:", StringComparison.Ordinal))
                throw new InvalidDataException($"StudyGuru streams carry no event: field, got '{line}'.");
        }
    }
}
