using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI.Chat;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Media;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>
/// Streams answers from any OpenAI-compatible endpoint through Semantic Kernel's OpenAI connector.
/// Text chunks are passed on as they arrive; the last chunk carries the finish reason and, when the
/// provider reports it, the usage. The limit is sent as <c>max_completion_tokens</c>; some servers (Ollama,
/// LM Studio) ignore it, and then the runner's one count (<c>AnswerTokenCount</c>, docs/domain-rules.md, "Tokens")
/// cuts the answer: it stops reading, which disposes this stream and aborts the upstream request.
/// </summary>
internal sealed partial class SemanticKernelChatModel(
    IChatCompletionService chatCompletion,
    ModelImageLoader imageLoader,
    ILogger<SemanticKernelChatModel> logger) : IChatModel
{
    public string Kind => "openai";

    public bool IsReal => true;

    public async IAsyncEnumerable<ChatChunk> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        // The images' bytes are held (within the process's image budget) until this call ends.
        using var images = await imageLoader.LoadAsync(request.Images, cancellationToken);
        var history = ChatHistoryFactory.Create(request, images.Bytes);
        var settings = new OpenAIPromptExecutionSettings { MaxTokens = request.MaxTokens };
        LogStarting(logger, request.History.Count, request.Images.Count, request.MaxTokens);

        string? finishReason = null;
        ChatUsage? usage = null;
        var upstream = new ProviderStream(
            chatCompletion.GetStreamingChatMessageContentsAsync(history, settings, kernel: null, cancellationToken),
            cancellationToken);
        try
        {
            while (await NextAsync(upstream) is { } update)
            {
                finishReason = ReadFinishReason(update) ?? finishReason;
                usage = ReadUsage(update) ?? usage;
                if (string.IsNullOrEmpty(update.Content))
                {
                    continue;
                }

                yield return ChatChunk.FromText(update.Content);
            }
        }
        finally
        {
            // Before the final chunk is handed out: leaving early must abort the upstream request now.
            await upstream.DisposeAsync();
        }

        yield return new ChatChunk(null, finishReason ?? FinishReasons.Stop, usage);
    }

    private async ValueTask<StreamingChatMessageContent?> NextAsync(ProviderStream upstream)
    {
        try
        {
            return await upstream.NextAsync();
        }
        catch (ChatModelException exception)
        {
            LogFailed(logger, exception.Code, exception.InnerException?.GetType().Name, ChatModelFailureMapper.FindStatus(exception));
            throw;
        }
    }

    /// <summary>The connector reports <c>ChatFinishReason</c> names ("Stop", "ContentFilter"); the wire wants "stop", "content_filter".</summary>
    private static string? ReadFinishReason(StreamingChatMessageContent update)
    {
        var value = update.Metadata?.TryGetValue("FinishReason", out var reason) == true ? reason : null;
        return value switch
        {
            ChatFinishReason known => SnakeCase(known.ToString()),
            string { Length: > 0 } text => SnakeCase(text),
            _ => null,
        };
    }

    private static ChatUsage? ReadUsage(StreamingChatMessageContent update) =>
        update.Metadata?.TryGetValue("Usage", out var value) == true && value is ChatTokenUsage usage
            ? new ChatUsage(usage.InputTokenCount, usage.OutputTokenCount)
            : null;

    private static string SnakeCase(string name) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model call starting: {HistoryTurns} history turns, {Images} images, max {MaxTokens} tokens")]
    private static partial void LogStarting(ILogger logger, int historyTurns, int images, int maxTokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call failed: {Code} ({ExceptionType}, HTTP {Status})")]
    private static partial void LogFailed(ILogger logger, string code, string? exceptionType, int? status);
}
