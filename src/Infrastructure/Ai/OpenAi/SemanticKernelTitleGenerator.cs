using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>
/// One non-streaming call that asks the model for a thread title as JSON. Never throws except for
/// cancellation: a title is a nicety, so any failure or unusable reply is simply null.
/// </summary>
internal sealed partial class SemanticKernelTitleGenerator(
    IChatCompletionService chatCompletion,
    ILogger<SemanticKernelTitleGenerator> logger) : ITitleGenerator
{
    /// <summary>The start of a conversation says what it is about; more only costs tokens.</summary>
    private const int MaxCharactersEach = 2000;

    private const string Instructions =
        "You name study conversations. Reply with only a JSON object, no other text: "
        + "{\"title\": \"...\", \"summary_title\": \"...\"}. "
        + "\"title\" is a short topic title of at most 60 characters. "
        + "\"summary_title\" is a short phrase of at most 60 characters describing the help given, such as \"Help with quadratic equations\". "
        + "Write both in the language of the question.";

    public async Task<GeneratedTitles?> GenerateAsync(string question, string answer, CancellationToken cancellationToken)
    {
        var history = new ChatHistory();
        history.AddSystemMessage(Instructions);
        history.AddUserMessage($"Question:\n{Clip(question)}\n\nAnswer:\n{Clip(answer)}");
        var settings = new OpenAIPromptExecutionSettings { MaxTokens = 200, Temperature = 0.2 };

        try
        {
            var reply = await chatCompletion.GetChatMessageContentAsync(history, settings, kernel: null, cancellationToken);
            var titles = TitleReplyParser.Parse(reply.Content);
            if (titles is null)
            {
                LogUnusable(logger);
            }

            return titles;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            LogFailed(logger, exception.GetType().Name, ChatModelFailureMapper.FindStatus(exception));
            return null;
        }
    }

    private static string Clip(string? text) =>
        text is null ? string.Empty : text.Length <= MaxCharactersEach ? text : text[..MaxCharactersEach];

    [LoggerMessage(Level = LogLevel.Information, Message = "Title generation gave no usable title")]
    private static partial void LogUnusable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Title generation failed ({ExceptionType}, HTTP {Status})")]
    private static partial void LogFailed(ILogger logger, string exceptionType, int? status);
}
