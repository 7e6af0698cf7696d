using System.Buffers;
using System.Text.Json;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// A wire encoding of the event log that frames each event into a buffer and a JSON writer kept per thread, so
/// that encoding an event allocates only the bytes it returns (shared afterwards by every reader, see
/// docs/architecture.md, "One token's path"). Both wires of this API use it: the stream endpoints' SSE frames and
/// the AI SDK's UI message chunks.
/// </summary>
internal abstract class FramedWireEncoding : WireEncoding
{
    /// <summary>The writer's encoder decides escaping (not serializer options): ordinary non-ASCII text stays as is.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _json;

    public sealed override byte[] Encode(GenerationEvent item)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        var json = _json ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        WriteFrames(buffer, json, item);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the event's whole frames into <paramref name="buffer"/>; <paramref name="json"/> is reset
    /// to the buffer before each JSON value it writes.</summary>
    protected abstract void WriteFrames(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, GenerationEvent item);
}
