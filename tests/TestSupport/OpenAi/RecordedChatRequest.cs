using System.Text.Json;

namespace StudyGuru.TestSupport.OpenAi;

/// <summary>A chat completion request as <see cref="FakeOpenAiServer"/> received it.</summary>
public sealed class RecordedChatRequest
{
    internal RecordedChatRequest(string body, string? authorization)
    {
        Body = body;
        Authorization = authorization;
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Model = root.TryGetProperty("model", out var model) ? model.GetString() : null;
        IsStreaming = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        MaxCompletionTokens = ReadInt(root, "max_completion_tokens");
        MaxTokens = ReadInt(root, "max_tokens");
        IncludeUsage = root.TryGetProperty("stream_options", out var options)
            && options.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;
        ImageUrls = ReadImageUrls(root);
    }

    /// <summary>The raw JSON body.</summary>
    public string Body { get; }

    /// <summary>The <c>Authorization</c> header, if any.</summary>
    public string? Authorization { get; }

    public string? Model { get; }

    public bool IsStreaming { get; }

    public int? MaxCompletionTokens { get; }

    /// <summary>The legacy <c>max_tokens</c> field, if the client sent it.</summary>
    public int? MaxTokens { get; }

    /// <summary>Whether the client asked for the usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; }

    /// <summary>Every <c>image_url.url</c> in the messages, in order (a <c>data:</c> URL for inline bytes).</summary>
    public IReadOnlyList<string> ImageUrls { get; }

    /// <summary>The token limit the client asked for, whichever field carried it.</summary>
    internal int? TokenLimit => MaxCompletionTokens ?? MaxTokens;

    private static int? ReadInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static List<string> ReadImageUrls(JsonElement root)
    {
        var urls = new List<string>();
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return urls;
        }

        foreach (var message in messages.EnumerateArray())
        {
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var part in content.EnumerateArray())
            {
                if (part.TryGetProperty("image_url", out var image) && image.TryGetProperty("url", out var url))
                {
                    urls.Add(url.GetString() ?? string.Empty);
                }
            }
        }

        return urls;
    }
}
