using System.Text.Json;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>How events are stored (database replay records, shared buffers): a private format, not the wire format.</summary>
public static class StoredEventCodec
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string Serialize(ConversationEvent @event) => JsonSerializer.Serialize(@event, Options);

    public static ConversationEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<ConversationEvent>(json, Options)
        ?? throw new JsonException("A stored event was empty.");

    public static string Serialize(TerminalOutcome outcome) => JsonSerializer.Serialize(outcome, Options);

    public static TerminalOutcome DeserializeOutcome(string json) =>
        JsonSerializer.Deserialize<TerminalOutcome>(json, Options)
        ?? throw new JsonException("A stored terminal outcome was empty.");
}
