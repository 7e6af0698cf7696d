using System.Text.Json;
using System.Text.RegularExpressions;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>
/// Reads <c>{"title": ..., "summary_title": ...}</c> out of a model's reply, tolerating code fences and text
/// around the object. Titles are single-line and at most <see cref="MaxLength"/> characters.
/// </summary>
internal static partial class TitleReplyParser
{
    public const int MaxLength = 60;

    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <returns>The titles, or null when there is no usable title.</returns>
    public static GeneratedTitles? Parse(string? reply)
    {
        var json = ExtractObject(reply);
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, Lenient);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var title = Clean(ReadString(document.RootElement, "title"));
            if (title is null)
            {
                return null;
            }

            var summary = Clean(ReadString(document.RootElement, "summary_title") ?? ReadString(document.RootElement, "summaryTitle"))
                ?? Clean($"Help with {title.ToLowerInvariant()}")!;
            return new GeneratedTitles(title, summary);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The text from the first '{' to the last '}', after dropping Markdown code fences.</summary>
    private static string? ExtractObject(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var text = CodeFence().Replace(reply, string.Empty);
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        return start >= 0 && end > start ? text[start..(end + 1)] : null;
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>One line, no surrounding quotes, cut at a word boundary to fit <see cref="MaxLength"/>.</summary>
    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = Whitespace().Replace(value, " ").Trim().Trim('"', '\'', '`').Trim();
        if (text.Length > MaxLength)
        {
            var cut = text.LastIndexOf(' ', MaxLength);
            text = (cut > MaxLength / 2 ? text[..cut] : text[..MaxLength]).TrimEnd(' ', ',', ';', ':', '-');
        }

        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"```[a-zA-Z]*")]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
