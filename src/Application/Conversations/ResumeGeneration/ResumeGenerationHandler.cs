using System.Runtime.CompilerServices;
using Mediator;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

public sealed class ResumeGenerationHandler(GenerationReplay replay) : IStreamQueryHandler<ResumeGenerationQuery, GenerationEvent>
{
    public async IAsyncEnumerable<GenerationEvent> Handle(
        ResumeGenerationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = await replay.OpenAsync(query.UserId, query.GenerationId, query.AfterSequence, cancellationToken);
        await foreach (var item in events.WithCancellation(cancellationToken))
            yield return item;
    }
}
