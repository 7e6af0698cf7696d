using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.ListInteractions;

/// <summary>The caller's threads: pinned first, then by last message, newest first.</summary>
public sealed record ListInteractionsQuery(Guid UserId, int Page = 1, int Size = 10) : IQuery<Page<InteractionDto>>;
