using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// Writes a generation's events as Server-Sent Events. Nothing is written until the first event exists,
/// so every refusal before it (validation, 402, 404, 409...) still becomes a problem response.
/// Each event is framed and flushed as one write; a <c>: ping</c> comment keeps idle proxies open.
/// </summary>
public sealed partial class SseResult(IAsyncEnumerable<GenerationEvent> events) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var cancellation = http.RequestAborted;
        await using var enumerator = events.GetAsyncEnumerator(cancellation);

        // Exceptions here propagate to the exception handler: the response has not started.
        if (!await enumerator.MoveNextAsync())
        {
            // The generation ended while this read waited for an event after the requested one.
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var heartbeat = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IOptions<StreamingOptions>>().Value.HeartbeatSeconds);
        var logger = http.RequestServices.GetRequiredService<ILogger<SseResult>>();
        StartStream(http);

        var writeLock = new SemaphoreSlim(1, 1);
        await using var pinger = heartbeat > TimeSpan.Zero ? new Timer(_ => _ = PingAsync(http, writeLock, cancellation), null, heartbeat, heartbeat) : null;
        var buffer = new ArrayBufferWriter<byte>(512);
        await using var json = SseFrameWriter.CreateJsonWriter(buffer);
        var last = enumerator.Current;
        try
        {
            do
            {
                last = enumerator.Current;
                buffer.ResetWrittenCount();
                SseFrameWriter.Write(buffer, json, last);
                await writeLock.WaitAsync(cancellation);
                try
                {
                    await http.Response.Body.WriteAsync(buffer.WrittenMemory, cancellation);
                    await http.Response.Body.FlushAsync(cancellation);
                }
                finally
                {
                    writeLock.Release();
                }
            }
            while (!last.Event.IsTerminal && await enumerator.MoveNextAsync());
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client left; the generation decides what that means (grace, then cancel).
        }
        catch (Exception exception) when (!cancellation.IsCancellationRequested)
        {
            // After the first byte a failure can only be an event: end the stream with one.
            LogStreamFailed(logger, last.GenerationId, exception);
            if (!last.Event.IsTerminal)
            {
                // Not an event of the generation: it carries the id of the last real event the client got,
                // so that a resume from it continues right after that event and skips nothing.
                var error = new GenerationEvent(last.GenerationId, last.Sequence, last.Format,
                    new ErrorEvent("The stream failed. Please try again.", ErrorCodes.Internal, DateTimeOffset.UtcNow));
                buffer.ResetWrittenCount();
                SseFrameWriter.Write(buffer, error);
                await http.Response.Body.WriteAsync(buffer.WrittenMemory, CancellationToken.None);
                await http.Response.Body.FlushAsync(CancellationToken.None);
            }
        }
    }

    private static void StartStream(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static async Task PingAsync(HttpContext http, SemaphoreSlim writeLock, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested || !await writeLock.WaitAsync(0, CancellationToken.None)) return;
        try
        {
            await http.Response.Body.WriteAsync(SseFrameWriter.Ping, cancellation);
            await http.Response.Body.FlushAsync(cancellation);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream is closing; the event loop notices on its own.
        }
        finally
        {
            writeLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream of generation {GenerationId} failed after it started")]
    private static partial void LogStreamFailed(ILogger logger, Guid generationId, Exception exception);
}
