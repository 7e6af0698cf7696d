using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace StudyGuru.Benchmarks.Clients;

/// <summary>
/// Parses and checks the frames of one stream as they arrive: every frame is an <c>id:</c> line and a
/// <c>data:</c> line (or a <c>: ping</c> comment), ids are <c>&lt;generation&gt;:&lt;sequence&gt;</c> with one
/// generation and sequences 1, 2, 3..., the first event is <c>metadata</c> naming that generation, then
/// tokens, and the last is <c>complete</c> whose content equals the joined tokens.
/// </summary>
public sealed class SseEventChecker(ConversationResult result, LiveCounters? counters)
{
    private readonly StringBuilder _content = new();
    private Guid _generationId;
    private long _sequence;

    public bool Completed { get; private set; }

    /// <summary>Checks one frame (without its blank line); false when the stream broke the contract (see the result's error).</summary>
    public bool Accept(ReadOnlySpan<byte> frame, long arrivedAt)
    {
        if (frame.Length > 0 && frame[0] == (byte)':') return true;
        if (Completed) return Fail("an event after the terminal event");

        var newline = frame.IndexOf((byte)'\n');
        if (newline < 0 || !frame.StartsWith("id: "u8) || !frame[(newline + 1)..].StartsWith("data: "u8))
            return Fail($"a frame that is not one id line and one data line: {Encoding.UTF8.GetString(frame)}");
        if (!CheckId(frame[4..newline])) return false;

        var data = frame[(newline + 1 + 6)..];
        if (data.IndexOf((byte)'\n') >= 0) return Fail("a frame with more than two lines");
        return CheckData(data, arrivedAt);
    }

    private bool CheckId(ReadOnlySpan<byte> id)
    {
        var colon = id.LastIndexOf((byte)':');
        if (colon < 0
            || !Utf8Parser.TryParse(id[..colon], out Guid generationId, out var guidLength) || guidLength != colon
            || !Utf8Parser.TryParse(id[(colon + 1)..], out long sequence, out var digits) || digits != id.Length - colon - 1)
        {
            return Fail($"a malformed id: {Encoding.UTF8.GetString(id)}");
        }
        if (_sequence == 0) _generationId = generationId;
        else if (generationId != _generationId) return Fail("two generation ids in one stream");
        if (sequence != _sequence + 1) return Fail($"sequence {sequence} after {_sequence}");
        _sequence = sequence;
        return true;
    }

    private bool CheckData(ReadOnlySpan<byte> data, long arrivedAt)
    {
        string? type = null, content = null, generationId = null, error = null;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Fail("data that is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("type"u8)) type = reader.GetString();
            else if (name.SequenceEqual("content"u8)) content = reader.GetString();
            else if (name.SequenceEqual("generation_id"u8)) generationId = reader.GetString();
            else if (name.SequenceEqual("error"u8)) error = reader.GetString();
            else reader.Skip();
        }

        switch (type)
        {
            case "metadata" when _sequence == 1:
                if (!Guid.TryParse(generationId, out var named) || named != _generationId)
                    return Fail("metadata names another generation than the ids");
                result.MetadataAt = arrivedAt;
                return true;
            case "token" when _sequence > 1 && content is not null:
                if (result.Tokens++ == 0) result.FirstTokenAt = arrivedAt;
                result.TokenTimes?.Add(arrivedAt);
                _content.Append(content);
                counters?.TokenArrived();
                return true;
            case "complete" when _sequence > 1:
                Completed = true;
                result.Ended = arrivedAt;
                counters?.ConversationCompleted();
                return content == _content.ToString() || Fail("complete's content differs from the joined tokens");
            case "error":
                Completed = true;
                return Fail($"error event: {error}");
            default:
                return Fail($"a '{type}' event at sequence {_sequence}");
        }
    }

    private bool Fail(string reason)
    {
        result.Error ??= reason;
        return false;
    }
}
