using System.Net.Http.Json;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.AiSdk;

/// <summary>Sends what the AI SDK's DefaultChatTransport sends and reads the UI message stream's chunks.</summary>
public static class ChatClient
{
    public sealed record ChatStream(int Status, IReadOnlyList<JsonElement> Chunks, bool EndedWithDone, string Raw)
    {
        public JsonElement Start => Chunks.Single(c => c.GetProperty("type").GetString() == "start");
        public JsonElement? Finish => Chunks.Cast<JsonElement?>().SingleOrDefault(c => c!.Value.GetProperty("type").GetString() == "finish");
        public string MessageId => Start.GetProperty("messageId").GetString()!;
        public string Text => string.Concat(Chunks.Where(c => c.GetProperty("type").GetString() == "text-delta").Select(c => c.GetProperty("delta").GetString()));
        public int PointsCost => Finish!.Value.GetProperty("messageMetadata").GetProperty("points_cost").GetInt32();
    }

    public static object UserMessage(string id, string text, params object[] files) => new
    {
        id,
        role = "user",
        parts = files.Append(new { type = "text", text }).ToArray(),
    };

    public static object Body(string chatId, object[] messages, string trigger = "submit-message", string? messageId = null) =>
        messageId is null ? new { id = chatId, messages, trigger } : new { id = chatId, messages, trigger, messageId };

    public static async Task<ChatStream> SendAsync(this HttpClient client, string token, object body)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/api/chat", token, JsonSerializer.Serialize(body));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return await ReadAsync(response);
    }

    public static async Task<ChatStream> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            return new ChatStream((int)response.StatusCode, [], false, raw);
        var chunks = new List<JsonElement>();
        var done = false;
        foreach (var frame in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (!frame.StartsWith("data: ", StringComparison.Ordinal)) continue; // ": ping" comments
            var data = frame["data: ".Length..];
            if (data == "[DONE]") done = true;
            else chunks.Add(JsonDocument.Parse(data).RootElement.Clone());
        }
        return new ChatStream((int)response.StatusCode, chunks, done, raw);
    }

    public static async Task<JsonElement> GetChatAsync(this HttpClient client, string token, string chatId) =>
        (await client.GetJsonAsync($"/api/chat/{chatId}", token)).GetProperty("messages");

    public static async Task<int> BalanceAsync(this HttpClient client, string token) =>
        (await client.GetJsonAsync("/api/account", token)).GetProperty("current_points").GetInt32();

    public static async Task<int> UsedChargesAsync(this HttpClient client, string token) =>
        (await client.GetJsonAsync("/api/account/points/transactions?page=1&size=100", token))
            .GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "used");

    public static string NewChatId() => "chat-" + Guid.NewGuid().ToString("N")[..12];
}
