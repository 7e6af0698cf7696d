using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.WebApi.Sse;

/// <summary>Turns a generation's events into the wire events of the endpoint that started it.</summary>
public static class WireEventMapper
{
    public const string SimpleStartMessage = "Generating response...";

    public static StreamEvent ToWire(GenerationEvent item) => item.Format == GenerationFormat.Simple
        ? ToSimple(item.Event)
        : ToFull(item.Event);

    private static StreamEvent ToFull(ConversationEvent @event) => @event switch
    {
        MetadataEvent m => new MetadataWireEvent(m.InteractionId, m.IsNewInteraction, m.UserId, m.GenerationId, m.MaxTokens,
            m.ReservedPoints, UnixSeconds(m.Timestamp)),
        TokenEvent t => new TokenWireEvent(t.Content, UnixSeconds(t.Timestamp)),
        CompleteEvent c => new CompleteWireEvent(c.Content, c.TokensUsed, c.PointsCost, c.InputTokens, c.OutputTokens,
            c.PointsBalance, c.FinishReason, c.Cached, UnixSeconds(c.Timestamp)),
        ErrorEvent e => new ErrorWireEvent(e.Error, e.Code, UnixSeconds(e.Timestamp)),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event."),
    };

    private static StreamEvent ToSimple(ConversationEvent @event) => @event switch
    {
        MetadataEvent m => new StartWireEvent(SimpleStartMessage, m.InteractionId, m.GenerationId, UnixSeconds(m.Timestamp)),
        CompleteEvent c => new SimpleCompleteWireEvent(c.Content, c.TokensUsed, c.PointsCost, c.FinishReason, UnixSeconds(c.Timestamp)),
        _ => ToFull(@event),
    };

    /// <summary>Unix time in seconds with milliseconds, e.g. 1732412345.123.</summary>
    public static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Up to here (about the year 33658) the seconds have at most 12 digits: with three decimals a
    /// double's shortest form is exactly the decimal digits.</summary>
    private const long MaxPlainMilliseconds = 1_000_000_000_000_000L;

    /// <summary>
    /// Writes <see cref="UnixSeconds"/> as JSON writes the double (its shortest round-trip form, e.g.
    /// 1732412345.12 for .120), from the integer milliseconds: whole seconds, then the milliseconds without
    /// trailing zeros. Every token's frame carries one; formatting the double costs several times as much.
    /// </summary>
    /// <returns>False (nothing written) for times before 1970 or far in the future: format the double instead.</returns>
    public static bool TryFormatUnixSeconds(DateTimeOffset time, Span<byte> destination, out int written)
    {
        written = 0;
        var milliseconds = time.ToUnixTimeMilliseconds();
        if (milliseconds is < 0 or >= MaxPlainMilliseconds || destination.Length < 20) return false;
        var seconds = milliseconds / 1000;
        var fraction = (int)(milliseconds - seconds * 1000);
        System.Buffers.Text.Utf8Formatter.TryFormat(seconds, destination, out written);
        if (fraction == 0) return true;

        destination[written++] = (byte)'.';
        destination[written++] = (byte)('0' + fraction / 100);
        if (fraction % 100 == 0) return true;
        destination[written++] = (byte)('0' + fraction / 10 % 10);
        if (fraction % 10 == 0) return true;
        destination[written++] = (byte)('0' + fraction % 10);
        return true;
    }
}
