using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.AiSdk;

/// <summary>A resume keeps the wire format of the endpoint that started the generation: an answer started through
/// POST /api/chat resumes through GET /api/stream/generations/{id} as the AI SDK's UI message stream.</summary>
public sealed class ChatResumeFormatTests
{
    [Test]
    public async Task ResumeByGenerationId_OfAChatAnswer_KeepsTheUiMessageStream()
    {
        await using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var answer = await client.SendAsync(student.Token,
            ChatClient.Body(ChatClient.NewChatId(), [ChatClient.UserMessage("q1", "What is 12*(3+4)?")]));
        var generationId = GenerationIdOf(answer);

        using var request = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", student.Token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var resumed = await ChatClient.ReadAsync(response);

        Assert.That(resumed.Status, Is.EqualTo(200), resumed.Raw);
        Assert.That(response.Headers.TryGetValues("x-vercel-ai-ui-message-stream", out var protocol) ? protocol.Single() : null, Is.EqualTo("v1"));
        Assert.That(Types(resumed), Is.EqualTo(Types(answer)));
        Assert.That(resumed.Text, Is.EqualTo(answer.Text));
        Assert.That(resumed.EndedWithDone, Is.True);
        Assert.That(GenerationIdOf(resumed), Is.EqualTo(generationId));
    }

    [Test]
    public async Task ResumeByGenerationIdAfterAnEvent_WhileTheChatAnswerRuns_StartsAtOnceAndFollowsInTheUiMessageStream()
    {
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "40" });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var body = ChatClient.Body(ChatClient.NewChatId(), [ChatClient.UserMessage("q1", "Explain how volcanoes form")]);

        using var start = ApiClient.RawRequest(HttpMethod.Post, "/api/chat", student.Token, JsonSerializer.Serialize(body));
        using var started = await client.SendAsync(start, HttpCompletionOption.ResponseHeadersRead);
        using var original = new StreamReader(await started.Content.ReadAsStreamAsync());
        string? generationId = null;
        while (generationId is null && await original.ReadLineAsync() is { } line)
            if (line.StartsWith("data: {\"type\":\"start\"", StringComparison.Ordinal))
                generationId = JsonDocument.Parse(line["data: ".Length..]).RootElement
                    .GetProperty("messageMetadata").GetProperty("generation_id").GetString();
        Assert.That(generationId, Is.Not.Null);

        using var request = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", student.Token);
        request.Headers.Add("Last-Event-ID", $"{generationId}:2");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var resumed = await ChatClient.ReadAsync(response);
        var rest = await original.ReadToEndAsync();

        Assert.That(resumed.Status, Is.EqualTo(200), resumed.Raw);
        Assert.That(response.Headers.TryGetValues("x-vercel-ai-ui-message-stream", out var protocol) ? protocol.Single() : null, Is.EqualTo("v1"));
        var types = Types(resumed);
        Assert.That(types, Does.Not.Contain("start"), "the events after sequence 2 only");
        Assert.That(types.Count(t => t == "text-delta"), Is.GreaterThan(1));
        Assert.That(types.TakeLast(3), Is.EqualTo(new[] { "text-end", "finish-step", "finish" }));
        Assert.That(resumed.EndedWithDone, Is.True);
        Assert.That(rest, Does.EndWith("data: [DONE]\n\n"));
    }

    private static List<string?> Types(ChatClient.ChatStream stream) =>
        stream.Chunks.Select(c => c.GetProperty("type").GetString()).ToList();

    private static string? GenerationIdOf(ChatClient.ChatStream stream) =>
        stream.Start.GetProperty("messageMetadata").GetProperty("generation_id").GetString();
}
