using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Chat.Common;

/// <summary>Resolves a chat id to the caller's thread; another user's interaction id is a 404.</summary>
public sealed class ChatThreads(IChatRepository chats)
{
    public async Task<ChatThreadLookup.Found?> FindAsync(Guid userId, string chatId, CancellationToken cancellationToken) =>
        await chats.FindThreadAsync(userId, chatId, cancellationToken) switch
        {
            ChatThreadLookup.Found found => found,
            ChatThreadLookup.SomeoneElses => throw new NotFoundException(NotFoundException.InteractionMessage),
            _ => null,
        };

    public async Task<ChatThreadLookup.Found> GetAsync(Guid userId, string chatId, CancellationToken cancellationToken) =>
        await FindAsync(userId, chatId, cancellationToken) ?? throw new NotFoundException(NotFoundException.InteractionMessage);
}
