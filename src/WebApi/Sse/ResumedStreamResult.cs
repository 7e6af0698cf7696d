using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Domain.Generations;
using StudyGuru.WebApi.AiSdk;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// A resume (<c>GET /api/stream/generations/{id}</c>, or a request carrying <c>Last-Event-ID</c>) keeps the wire
/// format of the endpoint that started the generation (docs/streaming-api.md, "Resume"): an answer started
/// through <c>POST /api/chat</c> resumes as the AI SDK's UI message stream, every other one as this API's events.
/// The generation is opened first (every refusal is still a problem response), then the stream starts at once.
/// </summary>
public sealed class ResumedStreamResult(Func<CancellationToken, ValueTask<OpenedGeneration>> open) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        // Exceptions here propagate to the exception handler: the response has not started.
        var opened = await open(context.HttpContext.RequestAborted);
        IActionResult wire = opened.Format == GenerationFormat.AiSdk
            ? UiMessageStreamResult.Resume(opened.Events)
            : SseResult.Resume(_ => ValueTask.FromResult(opened.Events));
        await wire.ExecuteResultAsync(context);
    }
}
