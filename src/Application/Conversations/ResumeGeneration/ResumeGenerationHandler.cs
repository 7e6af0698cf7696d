using Mediator;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

public sealed class ResumeGenerationHandler(GenerationReplay replay) : IQueryHandler<ResumeGenerationQuery, IAsyncEnumerable<GenerationEvent>>
{
    public async ValueTask<IAsyncEnumerable<GenerationEvent>> Handle(ResumeGenerationQuery query, CancellationToken cancellationToken) =>
        await replay.OpenAsync(query.UserId, query.GenerationId, query.AfterSequence, cancellationToken);
}
