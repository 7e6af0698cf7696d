using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Chat.GetChat;
using StudyGuru.Application.Chat.ResumeChat;
using StudyGuru.Application.Chat.SendChatMessage;
using StudyGuru.Application.Chat.StopChat;
using StudyGuru.Application.Interactions.CancelGeneration;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// The AI SDK's chat protocol: point <c>useChat</c>'s <c>DefaultChatTransport</c> at <c>/api/chat</c> with a
/// bearer header. The same use case, rules, limits, charges and persistence as stream-conversation; only the
/// request and the wire differ (docs/streaming-api.md, "Using the AI SDK").
/// </summary>
[ApiController]
[Route("api/chat")]
[Authorize]
[Tags("AI SDK chat")]
public sealed class ChatController(IMediator mediator, StreamStarts starts) : ControllerBase
{
    /// <summary>Answers the body's last message (a user message) and streams the answer as UI message chunks.</summary>
    [HttpPost]
    [Consumes("application/json")]
    [InlineImagesBody]
    [EndpointName("ChatSend")]
    [EndpointSummary("Send a chat message and stream the answer (AI SDK UI message stream)")]
    [EndpointDescription("The body is what the AI SDK's DefaultChatTransport sends: `{id, messages, trigger, messageId?}`. Only the last message is read (role `user`; its `text` parts joined, its `file` parts as images given as `data:` URLs). `trigger: regenerate-message` answers the last question again and marks the previous answer `superseded`. A retry with the same last message `id`, `trigger` and `messageId` attaches to the first answer.")]
    [ProducesResponseType<UiMessageChunk>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public IActionResult Send([FromBody] ChatRequestBody body)
    {
        var query = new SendChatMessageQuery(User.GetUserId(), body.Id, body.LastMessage(), body.Trigger, body.MessageId);
        return new UiMessageStreamResult(starts.Stream(query, HttpContext.RequestAborted));
    }

    /// <summary>The chat's running answer from its first chunk, then live; 204 when nothing runs.</summary>
    [HttpGet("{id}/stream")]
    [EndpointName("ChatResume")]
    [EndpointSummary("Resume the chat's running answer (AI SDK UI message stream)")]
    [ProducesResponseType<UiMessageChunk>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public IActionResult Resume(string id) =>
        new UiMessageStreamResult(starts.Follow(new ResumeChatQuery(User.GetUserId(), id), HttpContext.RequestAborted));

    /// <summary>Stops the running answer like a cancel: saved as cancelled, charged for the tokens produced.</summary>
    [HttpPost("{id}/stop")]
    [EndpointName("ChatStop")]
    [EndpointSummary("Stop the chat's running answer")]
    [ProducesResponseType<CancelledGeneration>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Stop(string id, CancellationToken cancellationToken) =>
        Accepted(await mediator.Send(new StopChatCommand(User.GetUserId(), id), cancellationToken));

    /// <summary>The chat as UI messages for <c>useChat({ messages })</c>: oldest first, ended answers only.</summary>
    [HttpGet("{id}")]
    [EndpointName("ChatGet")]
    [EndpointSummary("Restore a chat as AI SDK UI messages")]
    [ProducesResponseType<ChatDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ChatDto> Get(string id, CancellationToken cancellationToken) =>
        await mediator.Send(new GetChatQuery(User.GetUserId(), id), cancellationToken);
}
