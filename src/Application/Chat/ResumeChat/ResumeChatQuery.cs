using System.Runtime.CompilerServices;
using Mediator;
using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Chat.ResumeChat;

/// <summary>
/// The chat's running answer, replayed from its first event and followed live (the AI SDK resumes by
/// replay); 204 when nothing runs, which is what every page opened with <c>resume: true</c> hears first.
/// Never starts a generation and never charges.
/// </summary>
public sealed record ResumeChatQuery(Guid UserId, string ChatId) : IStreamQuery<GenerationEvent>;

public sealed class ResumeChatHandler(ChatThreads threads, GenerationReplay replay) : IStreamQueryHandler<ResumeChatQuery, GenerationEvent>
{
    public async IAsyncEnumerable<GenerationEvent> Handle(ResumeChatQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!ChatId.IsValid(query.ChatId)) throw new NoContentException();
        var thread = await threads.FindAsync(query.UserId, query.ChatId, cancellationToken);
        if (thread?.ActiveGenerationId is not { } running) throw new NoContentException();
        var events = await replay.OpenAsync(query.UserId, running, null, cancellationToken);
        await foreach (var item in events.WithCancellation(cancellationToken))
            yield return item;
    }
}
