using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Chat.GetChat;

/// <summary>Oldest first, ended answers only (a running answer arrives through the resume); superseded answers are left out.</summary>
public sealed class GetChatHandler(ChatThreads threads, IChatRepository chats, IMediaUrlSigner urls) : IQueryHandler<GetChatQuery, ChatDto>
{
    public async ValueTask<ChatDto> Handle(GetChatQuery query, CancellationToken cancellationToken)
    {
        if (!ChatId.IsValid(query.ChatId)) throw new NotFoundException(NotFoundException.InteractionMessage);
        var thread = await threads.GetAsync(query.UserId, query.ChatId, cancellationToken);
        var messages = await chats.ListRestorableMessagesAsync(thread.InteractionId, cancellationToken);
        return new ChatDto(query.ChatId, messages.Select(m => ToUiMessage(m, thread.InteractionId)).ToList());
    }

    private ChatMessageDto ToUiMessage(Message message, Guid interactionId)
    {
        if (message.Role == MessageRole.User)
        {
            var parts = message.Media.Where(m => !m.Removed)
                .Select(m => new ChatPartDto("file", MediaType: m.FileType, Url: urls.CreateUrl(m.MediaId)))
                .ToList();
            if (message.Content.Length > 0) parts.Add(new ChatPartDto("text", message.Content, "done"));
            return new ChatMessageDto(message.Id.ToString(), "user", parts, null);
        }
        var generationId = message.GenerationId ?? message.Id;
        return new ChatMessageDto(
            generationId.ToString(),
            "assistant",
            [new ChatPartDto("step-start"), new ChatPartDto("text", message.Content, "done")],
            new ChatAnswerMetadata(interactionId, generationId, message.Status.ToString().ToLowerInvariant(), message.TokensUsed,
                message.PointsCost, message.InputTokens, message.OutputTokens, message.ErrorMessage));
    }
}
