using Mediator;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Interactions.ListMessages;

/// <summary>A thread's messages, newest first.</summary>
public sealed record ListMessagesQuery(Guid UserId, Guid InteractionId, int Limit = 12, int Offset = 0) : IQuery<Page<MessageDto>>;
