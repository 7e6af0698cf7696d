using Mediator;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

/// <summary>
/// Opens an existing generation for reading: the events after <paramref name="AfterSequence"/> (from the first
/// event when null), then the live ones. Never starts a generation and never charges. Every refusal (404, 204,
/// 503) is made while opening, so that the caller can start its stream as soon as the query returns, before
/// the next event exists. The answer names the format of the endpoint that started the generation: the resumed
/// stream keeps it.
/// </summary>
public sealed record ResumeGenerationQuery(Guid UserId, Guid GenerationId, long? AfterSequence) : IQuery<OpenedGeneration>;
