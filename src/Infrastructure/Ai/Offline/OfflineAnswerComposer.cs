using System.Text.RegularExpressions;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// Decides the offline model's whole answer from the new message and its images only, so that the same
/// request always gets the same answer: arithmetic gets its exact result, other text a tutor-style answer,
/// images alone a document-analysis answer; images are acknowledged first.
/// </summary>
internal static partial class OfflineAnswerComposer
{
    /// <summary>Longer messages are shortened when restated, which keeps every answer within 60-120 words.</summary>
    internal const int MaxTopicWords = 12;

    private const string NoTopic = "your question";

    public static string Compose(ChatRequest request)
    {
        var text = request.UserText?.Trim() ?? string.Empty;
        var acknowledgement = request.Images.Count > 0 ? ImageAcknowledgement.Write(request.Images) : null;
        if (text.Length == 0 && acknowledgement is not null)
        {
            return TutorAnswerTemplates.WriteDocumentAnalysis(acknowledgement);
        }

        var answer = ArithmeticExpressionFinder.Find(text) is { } expression
            ? ArithmeticAnswerWriter.Write(expression)
            : TutorAnswerTemplates.Write(Topic(text), StableHash.Of(text));
        return acknowledgement is null ? answer : $"{acknowledgement} {answer}";
    }

    /// <summary>The message as one line of at most <see cref="MaxTopicWords"/> words, without quotes or the final '?'.</summary>
    internal static string Topic(string text)
    {
        var words = Whitespace().Split(text.Replace("\"", string.Empty, StringComparison.Ordinal))
            .Where(word => word.Length > 0)
            .ToList();
        var topic = string.Join(' ', words.Take(MaxTopicWords)).TrimEnd('?', '!', '.', ':', ';', ',');
        if (topic.Length == 0)
        {
            return NoTopic;
        }

        return words.Count > MaxTopicWords ? topic + "..." : topic;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
