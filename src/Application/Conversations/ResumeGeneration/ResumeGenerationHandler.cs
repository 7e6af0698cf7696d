using Mediator;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

public sealed class ResumeGenerationHandler(GenerationReplay replay, GenerationTracing tracing)
    : IQueryHandler<ResumeGenerationQuery, OpenedGeneration>
{
    public async ValueTask<OpenedGeneration> Handle(ResumeGenerationQuery query, CancellationToken cancellationToken)
    {
        var opened = await replay.OpenWithFormatAsync(query.UserId, query.GenerationId, query.AfterSequence, cancellationToken);
        tracing.Resumed(query.GenerationId);
        return opened;
    }
}
