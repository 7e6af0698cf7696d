using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// Writes a generation's events as the AI SDK's UI message stream. Like <see cref="SseResult"/>: nothing is
/// written before the first event (so refusals stay problem responses), each event goes out as one write,
/// and a <c>: ping</c> comment keeps idle proxies open.
/// The transport expects <c>data: [DONE]</c> after the last chunk.
/// A resume (<see cref="Resume"/>) was refused or opened before; its stream starts at once, with heartbeats until
/// the next event exists, like <see cref="SseResult.Resume"/>.
/// </summary>
public sealed partial class UiMessageStreamResult : IActionResult
{
    public const string ProtocolHeader = "x-vercel-ai-ui-message-stream";

    private readonly IAsyncEnumerable<GenerationEvent> _events;
    private readonly bool _startAtOnce;

    /// <summary>A new generation: nothing is written until its first event exists.</summary>
    public UiMessageStreamResult(IAsyncEnumerable<GenerationEvent> events) : this(events, startAtOnce: false)
    {
    }

    private UiMessageStreamResult(IAsyncEnumerable<GenerationEvent> events, bool startAtOnce)
    {
        _events = events;
        _startAtOnce = startAtOnce;
    }

    /// <summary>An opened resume: the stream starts at once, whenever its next event comes.</summary>
    public static UiMessageStreamResult Resume(IAsyncEnumerable<GenerationEvent> opened) => new(opened, startAtOnce: true);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var cancellation = http.RequestAborted;
        await using var enumerator = _events.GetAsyncEnumerator(cancellation);

        // Exceptions here propagate to the exception handler: the response has not started.
        if (!_startAtOnce && !await enumerator.MoveNextAsync()) throw new InvalidOperationException("A generation stream had no events.");

        var heartbeat = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IOptions<StreamingOptions>>().Value.HeartbeatSeconds);
        var logger = http.RequestServices.GetRequiredService<ILogger<UiMessageStreamResult>>();
        StartStream(http);
        if (_startAtOnce) await http.Response.Body.FlushAsync(cancellation);

        // The heartbeat is awaited beside the next event rather than written from a timer, so that every
        // write happens here, one at a time, and nothing outlives the response.
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var heartbeatDue = heartbeat > TimeSpan.Zero ? Task.Delay(heartbeat, heartbeatStop.Token) : Task.Delay(Timeout.Infinite, heartbeatStop.Token);
        var buffer = new ArrayBufferWriter<byte>(512);
        await using var json = UiMessageStreamEncoder.CreateJsonWriter(buffer);
        GenerationEvent? last = null;
        var hasCurrent = !_startAtOnce;
        try
        {
            while (true)
            {
                if (!hasCurrent)
                {
                    var next = enumerator.MoveNextAsync().AsTask();
                    while (await Task.WhenAny(next, heartbeatDue) != next)
                    {
                        await WriteAsync(http, SseFrameWriter.Ping, cancellation);
                        heartbeatDue = Task.Delay(heartbeat, heartbeatStop.Token);
                    }
                    if (!await next) break;
                }
                last = enumerator.Current;
                await WriteAsync(http, await FramesAsync(http, last, buffer, json, cancellation), cancellation);
                if (last.Event.IsTerminal) break;
                hasCurrent = false;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client left; the generation decides what that means (grace, then cancel).
        }
        catch (Exception exception) when (!cancellation.IsCancellationRequested)
        {
            // After the first byte a failure can only be a chunk: end the stream with the protocol's error.
            LogStreamFailed(logger, last?.GenerationId, exception);
            if (last is not { Event.IsTerminal: true })
            {
                buffer.ResetWrittenCount();
                UiMessageStreamEncoder.Write(buffer, json,
                    new ErrorEvent("The stream failed. Please try again.", ErrorCodes.Internal, DateTimeOffset.UtcNow));
                await WriteAsync(http, buffer.WrittenMemory, CancellationToken.None);
            }
        }
        finally
        {
            await heartbeatStop.CancelAsync();
        }
    }

    /// <summary>The event's frames: shared by every reader of the event log, except an error's, which carries the
    /// charge of the failed answer (looked up now: the settlement was written before the error event).</summary>
    private static async ValueTask<ReadOnlyMemory<byte>> FramesAsync(
        HttpContext http, GenerationEvent item, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, CancellationToken cancellation)
    {
        if (item.Event is not ErrorEvent) return item.EncodedAs(UiMessageStreamEncoder.WireFormat);
        buffer.ResetWrittenCount();
        UiMessageStreamEncoder.Write(buffer, json, item.Event, await FindChargeAsync(http, item.GenerationId, cancellation));
        return buffer.WrittenMemory;
    }

    private static async Task<AnswerCharge?> FindChargeAsync(HttpContext http, Guid generationId, CancellationToken cancellation) =>
        await http.RequestServices.GetRequiredService<IChatRepository>().FindChargeAsync(generationId, cancellation);

    private static async Task WriteAsync(HttpContext http, ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        await http.Response.Body.WriteAsync(bytes, cancellation);
        await http.Response.Body.FlushAsync(cancellation);
    }

    private static void StartStream(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers[ProtocolHeader] = "v1";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AI SDK stream of generation {GenerationId} failed after it started")]
    private static partial void LogStreamFailed(ILogger logger, Guid? generationId, Exception exception);
}
