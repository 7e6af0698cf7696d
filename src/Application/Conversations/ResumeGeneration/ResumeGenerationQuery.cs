using Mediator;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

/// <summary>
/// Streams the events of an existing generation after <paramref name="AfterSequence"/> (from the first
/// event when null), then the live ones. Never starts a generation and never charges.
/// </summary>
public sealed record ResumeGenerationQuery(Guid UserId, Guid GenerationId, long? AfterSequence) : IStreamQuery<GenerationEvent>;
