using Mediator;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

public sealed class ResumeGenerationHandler(GenerationReplay replay, GenerationTracing tracing)
    : IQueryHandler<ResumeGenerationQuery, IAsyncEnumerable<GenerationEvent>>
{
    public async ValueTask<IAsyncEnumerable<GenerationEvent>> Handle(ResumeGenerationQuery query, CancellationToken cancellationToken)
    {
        var events = await replay.OpenAsync(query.UserId, query.GenerationId, query.AfterSequence, cancellationToken);
        tracing.Resumed(query.GenerationId);
        return events;
    }
}
