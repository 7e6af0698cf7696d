using System.Text.Json;

namespace StudyGuru.TestSupport.OpenAi;

/// <summary>The JSON shapes of the OpenAI chat completions API, as small as clients accept.</summary>
internal static class ChatCompletionPayloads
{
    private const string Id = "chatcmpl-fake";
    private const long Created = 1_732_412_345;

    public static string RoleChunk(string model) =>
        Chunk(model, new { role = "assistant", content = string.Empty }, finishReason: null);

    public static string ContentChunk(string model, string text) =>
        Chunk(model, new { content = text }, finishReason: null);

    public static string FinishChunk(string model, string finishReason) =>
        Chunk(model, new { }, finishReason);

    public static string UsageChunk(string model, int promptTokens, int completionTokens) =>
        JsonSerializer.Serialize(new
        {
            id = Id,
            @object = "chat.completion.chunk",
            created = Created,
            model,
            choices = Array.Empty<object>(),
            usage = Usage(promptTokens, completionTokens),
        });

    public static string Completion(string model, string content, int promptTokens, int completionTokens) =>
        JsonSerializer.Serialize(new
        {
            id = Id,
            @object = "chat.completion",
            created = Created,
            model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" },
            },
            usage = Usage(promptTokens, completionTokens),
        });

    public static string Error(int status) =>
        JsonSerializer.Serialize(new
        {
            error = new { message = $"Fake provider error {status}", type = "fake_error", code = status.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    private static string Chunk(string model, object delta, string? finishReason) =>
        JsonSerializer.Serialize(new
        {
            id = Id,
            @object = "chat.completion.chunk",
            created = Created,
            model,
            choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
        });

    private static object Usage(int promptTokens, int completionTokens) => new
    {
        prompt_tokens = promptTokens,
        completion_tokens = completionTokens,
        total_tokens = promptTokens + completionTokens,
    };
}
