using System.Text;
using Microsoft.AspNetCore.Http;

namespace StudyGuru.TestSupport.OpenAi;

/// <summary>Writes one streamed chat completion (SSE) as the script says, flushing every event.</summary>
internal sealed class FakeChatStream(HttpContext context, FakeOpenAiScript script, RecordedChatRequest request)
{
    private readonly CancellationToken _aborted = context.RequestAborted;
    private readonly string _model = request.Model ?? "fake";

    /// <summary>Returns normally, or when the script breaks the stream, after aborting the connection.</summary>
    public async Task RunAsync()
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(_aborted);

        await WriteEventAsync(ChatCompletionPayloads.RoleChunk(_model));

        var limit = script.IgnoreMaxCompletionTokens ? int.MaxValue : request.TokenLimit ?? int.MaxValue;
        var pieces = script.Tokens.Take(limit).ToList();
        var finishReason = script.Tokens.Count > pieces.Count ? "length" : script.FinishReason;

        for (var sent = 0; sent <= pieces.Count; sent++)
        {
            if (script.BreakAfterChunks == sent)
            {
                if (script.BreakGate is { } breakGate)
                {
                    await breakGate.WaitAsync(_aborted);
                }

                context.Abort();
                return;
            }

            if (script.MalformedChunkAfter == sent)
            {
                await WriteEventAsync("{\"choices\": [ this is not json");
            }

            if (sent == pieces.Count)
            {
                break;
            }

            if (script.DelayBetweenChunks > TimeSpan.Zero)
            {
                await Task.Delay(script.DelayBetweenChunks, _aborted);
            }

            if (sent == pieces.Count - 1 && script.LastChunkGate is { } gate)
            {
                await gate.WaitAsync(_aborted);
            }

            await WriteEventAsync(ChatCompletionPayloads.ContentChunk(_model, pieces[sent]));
        }

        await WriteEventAsync(ChatCompletionPayloads.FinishChunk(_model, finishReason));
        if (script.SendUsage && request.IncludeUsage)
        {
            await WriteEventAsync(ChatCompletionPayloads.UsageChunk(_model, script.PromptTokens, script.CompletionTokens ?? pieces.Count));
        }

        await WriteEventAsync("[DONE]");
    }

    private async Task WriteEventAsync(string data)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {data}\n\n"), _aborted);
        await context.Response.Body.FlushAsync(_aborted);
    }
}
