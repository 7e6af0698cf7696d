using System.Runtime.CompilerServices;
using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.ResumeGeneration;

public sealed class ResumeGenerationHandler(
    IGenerationBufferStore buffers,
    IGenerationRepository generations,
    GenerationReader reader) : IStreamQueryHandler<ResumeGenerationQuery, GenerationEvent>
{
    public async IAsyncEnumerable<GenerationEvent> Handle(
        ResumeGenerationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = query.AfterSequence ?? 0;
        var buffer = await buffers.FindAsync(query.GenerationId, cancellationToken);
        if (buffer is not null)
        {
            if (buffer.UserId != query.UserId) throw new NotFoundException("No generation found!");
            if (await buffer.GetTerminalSequenceAsync(cancellationToken) is { } end && after >= end) throw new NoContentException();
            await foreach (var item in reader.ReadAsync(buffer, after, cancellationToken))
                yield return item;
            yield break;
        }

        var generation = await generations.FindOwnedAsync(query.GenerationId, query.UserId, cancellationToken)
            ?? throw new NotFoundException("No generation found!");
        foreach (var item in ReplayFromDatabase(generation, query.AfterSequence))
            yield return item;
    }

    /// <summary>
    /// After the buffer expired: with no position, the metadata, the saved answer as one token and the
    /// terminal event; with a position before the end, only the terminal event (its content is authoritative).
    /// </summary>
    private static IEnumerable<GenerationEvent> ReplayFromDatabase(Generation generation, long? afterSequence)
    {
        if (!generation.HasEnded || generation.TerminalSequence is not { } end
            || generation.FirstEventJson is null || generation.TerminalEventJson is null)
        {
            // Running on another instance whose buffer this instance cannot reach.
            throw new ServiceUnavailableException("This answer is being generated on another server. Please retry shortly.");
        }
        if ((afterSequence ?? 0) >= end) throw new NoContentException();

        var terminal = StoredEventCodec.Deserialize(generation.TerminalEventJson);
        if (afterSequence is null)
        {
            yield return new GenerationEvent(generation.Id, 1, generation.Format, StoredEventCodec.Deserialize(generation.FirstEventJson));
            if (terminal is CompleteEvent { Content.Length: > 0 } complete && end > 2)
                yield return new GenerationEvent(generation.Id, end - 1, generation.Format, new TokenEvent(complete.Content, complete.Timestamp));
        }
        yield return new GenerationEvent(generation.Id, end, generation.Format, terminal);
    }
}
