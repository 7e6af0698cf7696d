using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Application.Media.DeleteMedia;
using StudyGuru.Application.Media.UploadMedia;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Chat.SendChatMessage;

/// <summary>
/// Turns an AI SDK chat request into the conversation use case: the same rules, limits, charges and
/// persistence as stream-conversation. Only the body's last message is read (the history is the server's),
/// its inline images are stored like uploads, and a retry of the same message attaches to the first answer.
/// </summary>
public sealed class SendChatMessageHandler(
    ChatThreads threads,
    IChatRepository chats,
    IGenerationRepository generations,
    GenerationReplay replay,
    IMediaUrlVerifier mediaUrls,
    IMediator mediator,
    TimeProvider time) : IStreamQueryHandler<SendChatMessageQuery, GenerationEvent>
{
    public async IAsyncEnumerable<GenerationEvent> Handle(
        SendChatMessageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The inline images stored for this request: a request refused before its stream stores nothing, so a
        // refusal (404, 409, 429, 402, 422...) deletes them again (docs/streaming-api.md, "Using the AI SDK").
        var stored = new List<Guid>();
        IAsyncEnumerator<GenerationEvent>? events = null;
        bool hasFirst;
        try
        {
            events = (await StartOrAttachAsync(query, stored, cancellationToken)).GetAsyncEnumerator(cancellationToken);
            hasFirst = await events.MoveNextAsync();
        }
        catch (Exception exception)
        {
            if (events is not null) await events.DisposeAsync();
            if (IsRefusal(exception)) await DiscardAsync(query.UserId, stored);
            throw;
        }

        await using (events)
        {
            if (!hasFirst) yield break;
            do yield return events.Current;
            while (await events.MoveNextAsync());
        }
    }

    /// <summary>A refusal before the stream: nothing of the request was stored, so its uploads belong to nothing.
    /// (A client that left, or a failure of our own, may come after the start: its uploads are kept.)</summary>
    private static bool IsRefusal(Exception exception) => exception is
        RequestValidationException or NotFoundException or ConflictException or RateLimitedException
        or Domain.Accounts.InsufficientPointsException or UnprocessableException or PayloadTooLargeException
        or UnsupportedMediaTypeException or ServiceUnavailableException or UnauthorizedException;

    private async Task DiscardAsync(Guid userId, IReadOnlyList<Guid> stored)
    {
        foreach (var mediaId in stored)
            await mediator.Send(new DeleteMediaCommand(userId, mediaId), CancellationToken.None);
    }

    private async Task<IAsyncEnumerable<GenerationEvent>> StartOrAttachAsync(
        SendChatMessageQuery query, List<Guid> stored, CancellationToken cancellationToken)
    {
        var chatId = query.ChatId!;
        var thread = await threads.FindAsync(query.UserId, chatId, cancellationToken);
        var request = query.Trigger == ChatTriggers.RegenerateMessage
            ? await AnswerAgainAsync(query, thread, cancellationToken)
            : SubmitMessage(query);

        // A retried POST (same last message id, trigger and message id) attaches to the first answer before
        // anything is stored again; the conversation use case repeats this check for concurrent retries.
        var previous = await generations.FindByIdempotencyKeyAsync(query.UserId, request.IdempotencyKey, cancellationToken);
        if (previous is not null
            && previous.RequestHash == request.RequestHash
            && previous.CreatedAt >= time.GetUtcNow().UtcDateTime - IdempotentRetries.IdempotencyWindow)
        {
            return await replay.OpenAsync(query.UserId, previous.Id, null, cancellationToken);
        }

        var media = request.MediaIds ?? await StoreImagesAsync(query, thread, stored, cancellationToken);
        var conversation = new StreamConversationQuery(
            query.UserId,
            thread?.InteractionId.ToString(),
            request.Message,
            media.Select(id => new MediaFileInput(id.ToString())).ToList(),
            MaxTokens: null,
            GenerationFormat.AiSdk,
            request.IdempotencyKey,
            ChatId: thread is null ? chatId : null,
            AnswerAgain: request.AnswerAgain,
            RequestHash: request.RequestHash);
        return thread is null
            ? InTheChatsThreadAsync(conversation, chatId, cancellationToken)
            : mediator.CreateStream(conversation, cancellationToken);
    }

    /// <summary>
    /// The first message of a new chat id creates its thread. The same chat id always reaches the same thread, so
    /// when another request created it at the same moment (the unique chat id refused this one's), the question
    /// goes to that thread instead: it is answered there, or refused like any question to it (409 naming the
    /// running answer, which the client can resume), never with a conflict that names nothing.
    /// </summary>
    private async IAsyncEnumerable<GenerationEvent> InTheChatsThreadAsync(
        StreamConversationQuery conversation, string chatId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = mediator.CreateStream(conversation, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool hasFirst;
        var askedAgain = false;
        try
        {
            hasFirst = await events.MoveNextAsync();
        }
        catch (ConflictException conflict) when (conflict.GenerationId is null)
        {
            await events.DisposeAsync();
            var created = await threads.FindAsync(conversation.UserId, chatId, cancellationToken);
            if (created is null) throw;
            events = mediator.CreateStream(conversation with { InteractionId = created.InteractionId.ToString(), ChatId = null }, cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            hasFirst = false;
            askedAgain = true;
        }

        await using (events)
        {
            // After a race the question is asked again, in the thread the other request created.
            if (askedAgain) hasFirst = await events.MoveNextAsync();
            if (!hasFirst) yield break;
            do yield return events.Current;
            while (await events.MoveNextAsync());
        }
    }

    private static ChatTurnRequest SubmitMessage(SendChatMessageQuery query)
    {
        var message = query.LastMessage!;
        var text = ChatMessageText.Join(message);
        var files = message.Parts.Where(p => p.Type == ChatMessageText.FilePart).Select(p => p.Url ?? "");
        return new ChatTurnRequest(
            IdempotencyKey(query, latestAnswer: null),
            Fingerprint([text, .. files]),
            text,
            MediaIds: null,
            AnswerAgain: null);
    }

    /// <summary>
    /// regenerate answers the thread's last question again. Its key also names the latest answer that had
    /// ended when it was sent: a retry while the new answer runs attaches to it, a later regenerate is new.
    /// </summary>
    private async Task<ChatTurnRequest> AnswerAgainAsync(SendChatMessageQuery query, ChatThreadLookup.Found? thread, CancellationToken cancellationToken)
    {
        if (thread is null) throw RequestValidationException.For("trigger", "This chat has no answer to regenerate.");
        var question = await chats.FindLastQuestionAsync(thread.InteractionId, cancellationToken)
            ?? throw RequestValidationException.For("trigger", "This chat has no answer to regenerate.");
        var latestAnswer = await chats.FindLatestEndedGenerationAsync(thread.InteractionId, cancellationToken);
        return new ChatTurnRequest(
            IdempotencyKey(query, latestAnswer),
            Fingerprint([question.Id.ToString()]),
            question.Content,
            question.Media.Where(m => !m.Removed).Select(m => m.MediaId).ToList(),
            question.Id);
    }

    /// <summary>Stores each image of the message like an upload (checked by its bytes: 413, 415), in order.</summary>
    private async Task<IReadOnlyList<Guid>> StoreImagesAsync(
        SendChatMessageQuery query, ChatThreadLookup.Found? thread, List<Guid> stored, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var part in query.LastMessage!.Parts.Where(p => p.Type == ChatMessageText.FilePart))
        {
            var url = part.Url!;
            if (InlineImage.IsDataUrl(url))
            {
                var bytes = InlineImage.DecodeDataUrl(url)
                    ?? throw RequestValidationException.For("messages", "A file part's data: URL is not valid base64.");
                var uploaded = await mediator.Send(new UploadMediaCommand(query.UserId, thread?.InteractionId.ToString(),
                    new UploadedFile(bytes.Length, new MemoryStream(bytes, writable: false))), cancellationToken);
                ids.Add(uploaded.MediaId);
                stored.Add(uploaded.MediaId);
                continue;
            }
            var signed = InlineImage.ParseSignedMediaUrl(url)!;
            if (mediaUrls.Verify(signed.MediaId, signed.ExpiresUnixSeconds, signed.Signature) != SignedUrlCheck.Valid)
                throw RequestValidationException.For("messages", "A file part's media URL is expired or not signed by this server.");
            ids.Add(signed.MediaId);
        }
        return ids;
    }

    private static string IdempotencyKey(SendChatMessageQuery query, Guid? latestAnswer) =>
        "chat:" + Fingerprint([query.ChatId, query.LastMessage!.Id, query.Trigger, query.MessageId, latestAnswer?.ToString()]);

    /// <summary>Hashed, so that stored keys and fingerprints carry no message text.</summary>
    private static string Fingerprint(IEnumerable<string?> fields)
    {
        var text = string.Join('\u001f', fields.Select(f => f ?? ""));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private sealed record ChatTurnRequest(
        string IdempotencyKey, string RequestHash, string Message, IReadOnlyList<Guid>? MediaIds, Guid? AnswerAgain);
}
