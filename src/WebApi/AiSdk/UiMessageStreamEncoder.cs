using System.Buffers;
using System.Text.Json;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// The AI SDK's UI message stream as one more encoding of a generation's events. Each event becomes the
/// chunks the SDK expects at that point, framed as <c>data: &lt;json&gt;\n\n</c> and written together:
/// metadata → start, start-step, text-start; token → text-delta; complete → text-end, finish-step, finish,
/// [DONE]; error → text-end, message-metadata, error, [DONE]. The SDK resumes by replaying from the
/// first chunk, so no <c>id:</c> lines are written.
/// </summary>
public static class UiMessageStreamEncoder
{
    /// <summary>The answer is one text part; its id only has to be unique within the message.</summary>
    public const string TextPartId = "answer";

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static Utf8JsonWriter CreateJsonWriter(IBufferWriter<byte> buffer) => new(buffer, FramedWireEncoding.WriterOptions);

    /// <summary>This protocol as a wire format of the event log: each event's chunks are framed once and the bytes
    /// shared by every reader on the instance. An error event is the exception: its <c>message-metadata</c> carries
    /// the charge, which each stream looks up when it writes it (see <see cref="UiMessageStreamResult"/>).</summary>
    public static WireEncoding WireFormat { get; } = new UiMessageWireEncoding();

    private sealed class UiMessageWireEncoding : FramedWireEncoding
    {
        protected override void WriteFrames(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, GenerationEvent item) =>
            Write(buffer, json, item.Event);
    }

    /// <param name="charge">For an error event: what the failed answer was charged (null when unknown).</param>
    public static void Write(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, ConversationEvent @event, AnswerCharge? charge = null)
    {
        foreach (var chunk in ToChunks(@event, charge)) WriteFrame(buffer, json, chunk);
        if (@event.IsTerminal) buffer.Write(Done);
    }

    public static IEnumerable<UiMessageChunk> ToChunks(ConversationEvent @event, AnswerCharge? charge = null) => @event switch
    {
        MetadataEvent m =>
        [
            new StartChunk(m.GenerationId.ToString(),
                new ChatStartMetadata(m.InteractionId, m.GenerationId, m.IsNewInteraction, m.MaxTokens, m.ReservedPoints)),
            new StartStepChunk(),
            new TextStartChunk(TextPartId),
        ],
        TokenEvent t => [new TextDeltaChunk(TextPartId, t.Content)],
        CompleteEvent c =>
        [
            new TextEndChunk(TextPartId),
            new FinishStepChunk(),
            new FinishChunk(FinishReason(c.FinishReason),
                new ChatFinishMetadata(c.TokensUsed, c.PointsCost, c.InputTokens, c.OutputTokens, c.PointsBalance, c.FinishReason, c.Cached)),
        ],
        ErrorEvent e =>
        [
            new TextEndChunk(TextPartId),
            new MessageMetadataChunk(new ChatErrorMetadata(e.Code, charge?.PointsCost ?? 0, charge?.PointsBalance)),
            new ErrorChunk(e.Error),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event."),
    };

    /// <summary>The SDK's finishReason enum has no "cancelled": an answer stopped early is "other".</summary>
    public static string FinishReason(string finishReason) => finishReason switch
    {
        FinishReasons.Stop => "stop",
        FinishReasons.Length => "length",
        _ => "other",
    };

    private static void WriteFrame(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, UiMessageChunk chunk)
    {
        buffer.Write(DataPrefix);
        json.Reset(buffer);
        var context = UiMessageChunkJsonContext.Relaxed;
        switch (chunk)
        {
            case TextDeltaChunk c: JsonSerializer.Serialize(json, c, context.TextDeltaChunk); break;
            case StartChunk c: JsonSerializer.Serialize(json, c, context.StartChunk); break;
            case StartStepChunk c: JsonSerializer.Serialize(json, c, context.StartStepChunk); break;
            case TextStartChunk c: JsonSerializer.Serialize(json, c, context.TextStartChunk); break;
            case TextEndChunk c: JsonSerializer.Serialize(json, c, context.TextEndChunk); break;
            case FinishStepChunk c: JsonSerializer.Serialize(json, c, context.FinishStepChunk); break;
            case FinishChunk c: JsonSerializer.Serialize(json, c, context.FinishChunk); break;
            case MessageMetadataChunk c: JsonSerializer.Serialize(json, c, context.MessageMetadataChunk); break;
            case ErrorChunk c: JsonSerializer.Serialize(json, c, context.ErrorChunk); break;
            default: throw new ArgumentOutOfRangeException(nameof(chunk), chunk.GetType().Name, "Unknown chunk.");
        }
        json.Flush();
        buffer.Write(FrameEnd);
    }
}
