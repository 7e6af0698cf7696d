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
        // Disposing the timer stops the heartbeats (its pending wait ends with false): no cancellation source and no
        // callback per open stream for that (docs/performance.md, "Memory per open stream (sixth round)").
        using var heartbeatTimer = heartbeat > TimeSpan.Zero ? new PeriodicTimer(heartbeat) : null;
        var heartbeats = heartbeatTimer is null ? Task.CompletedTask : HeartbeatAsync(http, writeLock, heartbeatTimer, cancellation);
        GenerationEvent? last = null;
        try
        {
            await WriteEventsAsync(http, enumerator, hasCurrent, writeLock, current => last = current, cancellation);
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
                await WriteLockedAsync(http, writeLock, error.EncodedAs(SseFrameWriter.WireFormat), CancellationToken.None);
            }
        }
        finally
        {
            heartbeatTimer?.Dispose();
            await heartbeats;
        }
    }

    /// <summary>The most bytes gathered into one write when many events are already available.</summary>
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>
    /// Writes everything that is available in one write and flush: whole events back to back, never an event
    /// split across writes (docs/streaming-api.md, "The wire format"). Each event's bytes come from the event log's
    /// cache, encoded once for every reader.
    /// </summary>
    private static async Task WriteEventsAsync(
        HttpContext http, IAsyncEnumerator<GenerationEvent> enumerator, bool hasCurrent, SemaphoreSlim writeLock,
        Action<GenerationEvent> written, CancellationToken cancellation)
    {
        if (!hasCurrent && !await enumerator.MoveNextAsync()) return;
        // Only a stream that falls behind ever gathers several events: most streams never need this buffer.
        ArrayBufferWriter<byte>? batch = null;
        ReadOnlyMemory<byte> single = default;
        var count = 0;
        while (true)
        {
            var current = enumerator.Current;
            var frame = current.EncodedAs(SseFrameWriter.WireFormat);
            if (count == 0)
            {
                single = frame;
            }
            else
            {
                if (count == 1)
                {
                    batch ??= new ArrayBufferWriter<byte>(4096);
                    batch.ResetWrittenCount();
                    batch.Write(single.Span);
                }
                batch!.Write(frame.Span);
            }
            count++;
            written(current);
            if (current.Event.IsTerminal) break;

            // An event that is already there joins this write; otherwise what was gathered goes out now.
            var next = enumerator.MoveNextAsync();
            if (next.IsCompletedSuccessfully && (count == 1 ? single.Length : batch!.WrittenCount) < MaxBatchBytes)
            {
                if (!next.Result) break;
                continue;
            }
            await WriteLockedAsync(http, writeLock, count == 1 ? single : batch!.WrittenMemory, cancellation);
            count = 0;
            if (!await next) return;
        }
        if (count > 0) await WriteLockedAsync(http, writeLock, count == 1 ? single : batch!.WrittenMemory, cancellation);
    }

    private static async Task WriteLockedAsync(HttpContext http, SemaphoreSlim writeLock, ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        await writeLock.WaitAsync(cancellation);
        try
        {
            await http.Response.Body.WriteAsync(bytes, cancellation);
            await http.Response.Body.FlushAsync(cancellation);
        }
        finally
        {
            writeLock.Release();
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

    /// <summary>A <c>: ping</c> comment at every tick of <paramref name="timer"/> while the stream is open; owned by the
    /// stream, which disposes the timer and awaits it before it ends. A ping never interrupts an event being written.</summary>
    private static async Task HeartbeatAsync(HttpContext http, SemaphoreSlim writeLock, PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            while (await timer.WaitForNextTickAsync())
            {
                if (cancellation.IsCancellationRequested || !await writeLock.WaitAsync(0, CancellationToken.None)) continue;
                try
                {
                    await http.Response.Body.WriteAsync(SseFrameWriter.Ping, cancellation);
                    await http.Response.Body.FlushAsync(cancellation);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream is closing; the event loop notices on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream of generation {GenerationId} failed after it started")]
    private static partial void LogStreamFailed(ILogger logger, Guid? generationId, Exception exception);
}
