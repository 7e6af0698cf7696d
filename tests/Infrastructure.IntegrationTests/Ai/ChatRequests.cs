using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

/// <summary>Builds chat requests for the adapter tests.</summary>
internal static class ChatRequests
{
    public const string SystemPrompt = "You are a concise tutor.";

    public static ChatRequest Text(string text, int maxTokens = 1000) =>
        new(SystemPrompt, [], text, [], maxTokens);

    public static ChatRequest WithImages(string text, params ChatImage[] images) =>
        new(SystemPrompt, [], text, images, 1000);

    public static ChatImage Png(params byte[] bytes) => new(bytes, "image/png");

    public static ChatImage Jpeg(params byte[] bytes) => new(bytes, "image/jpeg");

    public static async Task<List<ChatChunk>> CollectAsync(
        this IChatModel model, ChatRequest request, CancellationToken cancellationToken = default)
    {
        var chunks = new List<ChatChunk>();
        await foreach (var chunk in model.StreamAsync(request, cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public static string TextOf(this IEnumerable<ChatChunk> chunks) => string.Concat(chunks.Select(chunk => chunk.Text));
}
