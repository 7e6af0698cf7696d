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
}
