using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StudyGuru.Benchmarks.Baseline;

/// <summary>
/// The frames of one answer, serialized once: the same framing and JSON shapes as the API
/// (<c>id: &lt;generation&gt;:&lt;sequence&gt;\ndata: &lt;json&gt;\n\n</c>, snake_case, relaxed escaping),
/// so the baseline writes as many bytes per event as the API and nothing else.
/// </summary>
public static class BaselineFrames
{
    // Words of the length the offline tutor writes; one token event each, as there.
    private static readonly string[] Vocabulary =
        "Let's work through this step by step so that the idea is clear and you can use it again on your own next time".Split(' ');

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<byte[]> Build(int answerWords)
    {
        var generationId = Guid.CreateVersion7();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var frames = new List<byte[]>(answerWords + 2);
        var sequence = 0;

        frames.Add(Frame(generationId, ++sequence, new
        {
            type = "metadata", interaction_id = Guid.CreateVersion7(), is_new_interaction = true, user_id = Guid.CreateVersion7(),
            generation_id = generationId, max_tokens = answerWords + 100, reserved_points = 12, timestamp,
        }));
        var content = new StringBuilder();
        for (var i = 0; i < answerWords; i++)
        {
            var word = (i == 0 ? "" : " ") + Vocabulary[i % Vocabulary.Length];
            content.Append(word);
            frames.Add(Frame(generationId, ++sequence, new { type = "token", content = word, timestamp }));
        }
        frames.Add(Frame(generationId, ++sequence, new
        {
            type = "complete", content = content.ToString(), tokens_used = answerWords + 60, points_cost = 1,
            input_tokens = 60, output_tokens = answerWords, points_balance = 99_999_000, finish_reason = "stop", cached = false, timestamp,
        }));
        return frames;
    }

    private static byte[] Frame(Guid generationId, int sequence, object data) =>
        Encoding.UTF8.GetBytes($"id: {generationId:D}:{sequence}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n");
}
