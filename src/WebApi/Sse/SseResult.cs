using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// Writes a generation's events as Server-Sent Events. Each event is framed and flushed as one write; a
/// <c>: ping</c> comment every <c>Streaming:HeartbeatSeconds</c> keeps idle proxies open.
/// A new generation's stream starts with its first event, so that every refusal before it (validation, 402,
/// 404, 409...) still becomes a problem response. A resume makes its refusals while it is opened and then
/// starts at once, because the next event of a running generation may be far away and a proxy would time
/// out a response that sent nothing (docs/streaming-api.md, "Resume").
/// </summary>
public sealed partial class SseResult : IActionResult
{
    private readonly IAsyncEnumerable<GenerationEvent>? _events;
    private readonly Func<CancellationToken, ValueTask<IAsyncEnumerable<GenerationEvent>>>? _open;

    /// <summary>A new generation: nothing is written until its first event exists.</summary>
    public SseResult(IAsyncEnumerable<GenerationEvent> events) => _events = events;

    private SseResult(Func<CancellationToken, ValueTask<IAsyncEnumerable<GenerationEvent>>> open) => _open = open;

    /// <summary>A resume: <paramref name="open"/> refuses (it throws) or returns the events to follow; the stream
    /// then starts at once, with heartbeats until the next event exists.</summary>
    public static SseResult Resume(Func<CancellationToken, ValueTask<IAsyncEnumerable<GenerationEvent>>> open) => new(open);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var cancellation = http.RequestAborted;

        // Exceptions until the stream starts propagate to the exception handler: the response has not started.
        var events = _events ?? await _open!(cancellation);
        await using var enumerator = events.GetAsyncEnumerator(cancellation);
        var hasCurrent = false;
        if (_open is null)
        {
            if (!await enumerator.MoveNextAsync()) throw new InvalidOperationException("A generation stream had no events.");
            hasCurrent = true;
        }

        var heartbeat = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IOptions<StreamingOptions>>().Value.HeartbeatSeconds);
        var logger = http.RequestServices.GetRequiredService<ILogger<SseResult>>();
        StartStream(http);
        if (!hasCurrent) await http.Response.Body.FlushAsync(cancellation);

        var writeLock = new SemaphoreSlim(1, 1);
        await using var pinger = heartbeat > TimeSpan.Zero ? new Timer(_ => _ = PingAsync(http, writeLock, cancellation), null, heartbeat, heartbeat) : null;
        var buffer = new ArrayBufferWriter<byte>(512);
        await using var json = SseFrameWriter.CreateJsonWriter(buffer);
        GenerationEvent? last = null;
        try
        {
            while (hasCurrent || await enumerator.MoveNextAsync())
            {
                hasCurrent = false;
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
                if (last.Event.IsTerminal) break;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client left; the generation decides what that means (grace, then cancel).
        }
        catch (Exception exception) when (!cancellation.IsCancellationRequested)
        {
            // After the first byte a failure can only be an event: end the stream with one. A resume that failed
            // before its first event knows no sequence to give it: it ends without one and its client resumes.
            LogStreamFailed(logger, last?.GenerationId, exception);
            if (last is { Event.IsTerminal: false })
            {
                // Not an event of the generation: it carries the id of the last real event the client got,
                // so that a resume from it continues right after that event and skips nothing.
                var error = new GenerationEvent(last.GenerationId, last.Sequence, last.Format,
                    new ErrorEvent("The stream failed. Please try again.", ErrorCodes.Internal, DateTimeOffset.UtcNow));
                buffer.ResetWrittenCount();
                SseFrameWriter.Write(buffer, error);
                await writeLock.WaitAsync(CancellationToken.None);
                try
                {
                    await http.Response.Body.WriteAsync(buffer.WrittenMemory, CancellationToken.None);
                    await http.Response.Body.FlushAsync(CancellationToken.None);
                }
                finally
                {
                    writeLock.Release();
                }
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
    private static partial void LogStreamFailed(ILogger logger, Guid? generationId, Exception exception);
}
