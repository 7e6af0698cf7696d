using System.Buffers;
using System.Text;
using System.Text.Json;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// Frames one event as <c>id: &lt;generation&gt;:&lt;sequence&gt;\ndata: &lt;json&gt;\n\n</c> into a single buffer,
/// so that it goes out in one write. The only place that knows the framing.
/// </summary>
public static class SseFrameWriter
{
    private static readonly byte[] IdPrefix = "id: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    /// <summary>A comment line that keeps idle proxies from closing the stream.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = ": ping\n\n"u8.ToArray();

    public static void Write(ArrayBufferWriter<byte> buffer, GenerationEvent item)
    {
        using var json = CreateJsonWriter(buffer);
        Write(buffer, json, item);
    }

    /// <summary>A JSON writer for <see cref="Write(ArrayBufferWriter{byte}, Utf8JsonWriter, GenerationEvent)"/>,
    /// reused for every event of a stream rather than allocated per token.</summary>
    public static Utf8JsonWriter CreateJsonWriter(ArrayBufferWriter<byte> buffer) => new(buffer, FramedWireEncoding.WriterOptions);

    public static void Write(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, GenerationEvent item)
    {
        buffer.Write(IdPrefix);
        WriteId(buffer, item.GenerationId, item.Sequence);
        buffer.Write(DataPrefix);
        json.Reset(buffer);
        if (item.Event is TokenEvent token) WriteToken(json, token);
        else WriteJson(json, WireEventMapper.ToWire(item));
        json.Flush();
        buffer.Write(FrameEnd);
    }

    /// <summary>This API's SSE frames as a wire encoding of the event log: each event is framed once and the
    /// bytes shared by every reader on the instance.</summary>
    public static WireEncoding WireFormat { get; } = new SseWireEncoding();

    private sealed class SseWireEncoding : FramedWireEncoding
    {
        protected override void WriteFrames(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, GenerationEvent item) =>
            Write(buffer, json, item);
    }

    // The last generation id this thread formatted: a reader encodes the events of one generation in runs.
    [ThreadStatic] private static Guid _lastGenerationId;
    [ThreadStatic] private static byte[]? _lastGenerationIdText;

    private static void WriteId(ArrayBufferWriter<byte> buffer, Guid generationId, long sequence)
    {
        var span = buffer.GetSpan(64);
        var idText = _lastGenerationIdText;
        if (idText is null || _lastGenerationId != generationId)
        {
            idText ??= new byte[36];
            generationId.TryFormat(idText, out _, "D");
            _lastGenerationId = generationId;
            _lastGenerationIdText = idText;
        }
        idText.CopyTo(span);
        var written = idText.Length;
        span[written++] = (byte)':';
        sequence.TryFormat(span[written..], out var digits);
        buffer.Advance(written + digits);
    }

    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText TokenType = JsonEncodedText.Encode("token");
    private static readonly JsonEncodedText ContentProperty = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("timestamp");

    /// <summary>
    /// A token's JSON (the same bytes as <see cref="TokenWireEvent"/> serialized), written directly: it is the
    /// event of nearly every frame, so it skips the wire record, the serializer's metadata and the double's
    /// formatting (docs/performance.md, "One token count, cheaper frames").
    /// </summary>
    private static void WriteToken(Utf8JsonWriter json, TokenEvent token)
    {
        json.WriteStartObject();
        json.WriteString(TypeProperty, TokenType);
        json.WriteString(ContentProperty, token.Content);
        Span<byte> timestamp = stackalloc byte[32];
        if (WireEventMapper.TryFormatUnixSeconds(token.Timestamp, timestamp, out var length))
        {
            json.WritePropertyName(TimestampProperty);
            json.WriteRawValue(timestamp[..length], skipInputValidation: true);
        }
        else
        {
            json.WriteNumber(TimestampProperty, WireEventMapper.UnixSeconds(token.Timestamp));
        }
        json.WriteEndObject();
    }

    private static void WriteJson(Utf8JsonWriter json, StreamEvent wire)
    {
        var context = WireJsonContext.Relaxed;
        switch (wire)
        {
            case TokenWireEvent e: JsonSerializer.Serialize(json, e, context.TokenWireEvent); break;
            case MetadataWireEvent e: JsonSerializer.Serialize(json, e, context.MetadataWireEvent); break;
            case StartWireEvent e: JsonSerializer.Serialize(json, e, context.StartWireEvent); break;
            case CompleteWireEvent e: JsonSerializer.Serialize(json, e, context.CompleteWireEvent); break;
            case SimpleCompleteWireEvent e: JsonSerializer.Serialize(json, e, context.SimpleCompleteWireEvent); break;
            case ErrorWireEvent e: JsonSerializer.Serialize(json, e, context.ErrorWireEvent); break;
            default: throw new ArgumentOutOfRangeException(nameof(wire), wire.GetType().Name, "Unknown wire event.");
        }
    }
}
