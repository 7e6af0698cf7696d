using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>One numbered event of one generation, as a stream reader receives it.
/// On the wire its id is <c>&lt;GenerationId&gt;:&lt;Sequence&gt;</c>.</summary>
public sealed record GenerationEvent(Guid GenerationId, long Sequence, GenerationFormat Format, ConversationEvent Event);
