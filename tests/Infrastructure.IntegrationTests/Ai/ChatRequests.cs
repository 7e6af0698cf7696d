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

    /// <summary>A reference to an image of this size (the offline model reads only the kind and count).</summary>
    public static ChatImage Png(params byte[] bytes) => new($"test/{Guid.NewGuid():N}", "image/png", bytes.Length);

    public static ChatImage Jpeg(params byte[] bytes) => new($"test/{Guid.NewGuid():N}", "image/jpeg", bytes.Length);

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
