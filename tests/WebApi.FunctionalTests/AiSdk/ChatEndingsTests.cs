using System.Text.Json;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.AiSdk;

/// <summary>How an AI SDK stream ends when an answer does not finish normally: a model failure after some
/// tokens, and a stop through POST /api/chat/{id}/stop.</summary>
public sealed class ChatEndingsTests
{
    [Test]
    public async Task Post_ModelFailsAfterTokens_EndsWithTheChargeInMessageMetadataThenTheErrorChunk()
    {
        await using var model = await FakeOpenAiServer.StartAsync();
        // The break waits until the client has seen the tokens before it, so they surely left the server.
        var gate = new FakeOpenAiGate();
        model.Script = FakeOpenAiScript.Default with { Tokens = ["One", " two", " three", " four"], BreakAfterChunks = 3, BreakGate = gate };
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = model.Endpoint.ToString(),
            ["Ai:Model"] = "test-model",
        });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var chat = ChatClient.NewChatId();

        var stream = await ReadWhileAsync(client, student.Token, ChatClient.Body(chat, [ChatClient.UserMessage("q1", "Count to four")]),
            seen => seen.Split("\"text-delta\"").Length - 1 == 3, () => { gate.Open(); return Task.CompletedTask; });

        Assert.That(stream.Status, Is.EqualTo(200), stream.Raw);
        var types = stream.Chunks.Select(c => c.GetProperty("type").GetString()).ToList();
        Assert.That(types.TakeLast(3), Is.EqualTo(new[] { "text-end", "message-metadata", "error" }), stream.Raw);
        Assert.That(types, Does.Not.Contain("finish"));
        Assert.That(stream.EndedWithDone, Is.True);
        Assert.That(stream.Text, Is.EqualTo("One two three"));
        var metadata = stream.Chunks[^2].GetProperty("messageMetadata");
        var saved = (await client.GetChatAsync(student.Token, chat))[1].GetProperty("metadata");
        Assert.That(metadata.GetProperty("error_code").GetString(), Is.EqualTo("model_error"));
        Assert.That(saved.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(metadata.GetProperty("points_cost").GetInt32(), Is.EqualTo(saved.GetProperty("points_cost").GetInt32()).And.GreaterThan(0));
        Assert.That(metadata.GetProperty("points_balance").GetInt32(), Is.EqualTo(await client.BalanceAsync(student.Token)));
        Assert.That(stream.Chunks[^1].GetProperty("errorText").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Stop_WhileAnswering_EndsTheStreamWithFinishReasonOtherAndTheChargeForWhatWasProduced()
    {
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "40" });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var chat = ChatClient.NewChatId();
        var body = ChatClient.Body(chat, [ChatClient.UserMessage("q1", "Explain how volcanoes form")]);

        var stopStatus = 0;
        var stream = await ReadWhileAsync(client, student.Token, body, seen => seen.Contains("\"text-delta\"", StringComparison.Ordinal), async () =>
        {
            using var stop = await client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, $"/api/chat/{chat}/stop", student.Token));
            stopStatus = (int)stop.StatusCode;
        });

        Assert.That(stopStatus, Is.EqualTo(202));
        var finish = stream.Finish!.Value;
        Assert.That(finish.GetProperty("finishReason").GetString(), Is.EqualTo("other"));
        var metadata = finish.GetProperty("messageMetadata");
        Assert.That(metadata.GetProperty("finish_reason").GetString(), Is.EqualTo("cancelled"));
        var saved = (await client.GetChatAsync(student.Token, chat))[1];
        Assert.That(saved.GetProperty("metadata").GetProperty("status").GetString(), Is.EqualTo("cancelled"));
        Assert.That(saved.GetProperty("parts")[1].GetProperty("text").GetString(), Is.EqualTo(stream.Text));
        Assert.That(metadata.GetProperty("points_cost").GetInt32(), Is.GreaterThan(0)
            .And.EqualTo(saved.GetProperty("metadata").GetProperty("points_cost").GetInt32()));
    }

    [Test]
    public async Task Regenerate_WhileTheAnswerRuns_Is409NamingTheRunningGeneration()
    {
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "40" });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var chat = ChatClient.NewChatId();
        var question = ChatClient.UserMessage("q1", "Explain how rainbows form");
        string? conflict = null;

        var stream = await ReadWhileAsync(client, student.Token, ChatClient.Body(chat, [question]),
            seen => seen.Contains("\"text-delta\"", StringComparison.Ordinal), async () =>
            {
                var again = await client.SendAsync(student.Token, ChatClient.Body(chat, [question], "regenerate-message"));
                conflict = $"{again.Status} {again.Raw}";
                using var stop = await client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, $"/api/chat/{chat}/stop", student.Token));
            });

        Assert.That(conflict, Does.StartWith("409 ").And.Contain(stream.MessageId), "the problem names the running generation");
        Assert.That(await client.UsedChargesAsync(student.Token), Is.EqualTo(1));
    }

    /// <summary>Reads the stream line by line; once <paramref name="until"/> holds for what was read, runs
    /// <paramref name="then"/> once and reads on to the end.</summary>
    private static async Task<ChatClient.ChatStream> ReadWhileAsync(
        HttpClient client, string token, object body, Func<string, bool> until, Func<Task> then)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/api/chat", token, JsonSerializer.Serialize(body));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new System.Text.StringBuilder();
        var done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            seen.Append(line).Append('\n');
            if (!done && until(seen.ToString()))
            {
                done = true;
                await then();
            }
        }
        using var all = new HttpResponseMessage { Content = new StringContent(seen.ToString(), System.Text.Encoding.UTF8, "text/event-stream") };
        return await ChatClient.ReadAsync(all);
    }
}
