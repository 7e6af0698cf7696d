using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Conversations.ResumeGeneration;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Contracts;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.Controllers;

/// <summary>The tutor's answers as Server-Sent Events.</summary>
[ApiController]
[Route("api/stream")]
[Authorize]
[Tags("Streaming")]
public sealed class StreamController(StreamStarts starts) : ControllerBase
{
    /// <summary>
    /// Asks a question and streams the answer. A request carrying <c>Last-Event-ID</c> of one of the
    /// caller's generations resumes that generation instead (see <see cref="ResumeFromLastEventIdAttribute"/>).
    /// </summary>
    [HttpPost("stream-conversation")]
    [Consumes("application/json")]
    [ResumeFromLastEventId]
    [EndpointName("StreamConversation")]
    [EndpointSummary("Ask a question and stream the answer (SSE)")]
    [ProducesResponseType<StreamEvent>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public IActionResult StreamConversation([FromBody] StreamConversationRequest request)
    {
        var idempotencyKey = Request.Headers.TryGetValue("Idempotency-Key", out var key) && key.ToString().Length > 0
            ? key.ToString()
            : request.ClientMessageId;
        var query = new StreamConversationQuery(
            User.GetUserId(),
            request.InteractionId,
            request.Message,
            request.MediaFiles?.Select(f => new MediaFileInput(f.Id, f.Url)).ToList(),
            request.MaxTokens,
            GenerationFormat.Conversation,
            idempotencyKey);
        return new SseResult(starts.Stream(query, HttpContext.RequestAborted));
    }

    /// <summary>The same use case with a GET (for EventSource): no media, a message of at most 2,000 characters.</summary>
    [HttpGet("stream-simple")]
    [ResumeFromLastEventId]
    [EndpointName("StreamSimple")]
    [EndpointSummary("Ask a question with a GET and stream a simplified answer (SSE)")]
    [ProducesResponseType<StreamEvent>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status402PaymentRequired, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public IActionResult StreamSimple(
        [FromQuery(Name = "message")] string? message,
        [FromQuery(Name = "interaction_id")] string? interactionId,
        [FromQuery(Name = "max_tokens")] int? maxTokens,
        [FromQuery(Name = "client_message_id")] string? clientMessageId)
    {
        var query = new StreamConversationQuery(
            User.GetUserId(), interactionId, message, null, maxTokens, GenerationFormat.Simple, clientMessageId);
        return new SseResult(starts.Stream(query, HttpContext.RequestAborted));
    }

    /// <summary>Replays and follows one of the caller's generations: from the first event, or after <c>Last-Event-ID</c>,
    /// in the wire format of the endpoint that started it.</summary>
    [HttpGet("generations/{generationId:guid}")]
    [EndpointName("ResumeGeneration")]
    [EndpointSummary("Replay and follow a generation (SSE)")]
    [EndpointDescription("The stream keeps the format of the endpoint that started the generation: this API's events, or the AI SDK's UI message stream (with `x-vercel-ai-ui-message-stream: v1` and a closing `data: [DONE]`) for an answer started through `POST /api/chat`.")]
    [ProducesResponseType<StreamEvent>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public IActionResult ResumeGeneration(Guid generationId)
    {
        var lastEventId = LastEventId.FromRequest(Request);
        if (lastEventId is { } position && position.GenerationId != generationId)
            throw Application.Common.Errors.RequestValidationException.For("Last-Event-ID", "Last-Event-ID names another generation than the URL.");
        var query = new ResumeGenerationQuery(User.GetUserId(), generationId, lastEventId?.Sequence);
        return new ResumedStreamResult(cancellation => starts.OpenAsync(query, cancellation));
    }

    /// <summary>Liveness of the streaming service.</summary>
    [HttpGet("health")]
    [AllowAnonymous]
    [EndpointName("StreamHealth")]
    [EndpointSummary("Streaming service health")]
    [ProducesResponseType<StreamHealthResponse>(StatusCodes.Status200OK)]
    public StreamHealthResponse Health() =>
        new("healthy", "interaction-streaming", WireEventMapper.UnixSeconds(DateTimeOffset.UtcNow));
}

public sealed record StreamHealthResponse(string Status, string Service, double Timestamp);
