using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.AiSdk;

/// <summary>The same chat id always reaches the same thread, even when its first messages race.</summary>
public sealed class ChatRaceTests
{
    [Test]
    public async Task FirstMessagesRacingOnOneNewChatId_OneAnswersAndEveryOtherIs409NamingThatAnswer()
    {
        await using var factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "20",
            ["Limits:ConcurrentGenerationsPerUser"] = "100",
            ["Points:SignupBonus"] = "1000",
        });
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();
        var chat = ChatClient.NewChatId();

        var racing = Enumerable.Range(1, 8).Select(i => client.SendAsync(student.Token,
            ChatClient.Body(chat, [ChatClient.UserMessage($"q{i}", $"Question number {i}: what is {i}+{i}?")]))).ToList();
        var results = await Task.WhenAll(racing);

        var answered = results.Where(r => r.Status == 200).ToList();
        Assert.That(answered, Has.Count.EqualTo(1), string.Join("\n", results.Select(r => $"{r.Status} {r.Raw}")));
        var generationId = answered[0].Start.GetProperty("messageMetadata").GetProperty("generation_id").GetString();
        foreach (var refused in results.Where(r => r.Status != 200))
        {
            Assert.That(refused.Status, Is.EqualTo(409), refused.Raw);
            Assert.That(JsonDocument.Parse(refused.Raw).RootElement.GetProperty("generation_id").GetString(), Is.EqualTo(generationId), refused.Raw);
        }
        var restored = await client.GetChatAsync(student.Token, chat);
        Assert.That(restored.GetArrayLength(), Is.EqualTo(2), "one thread: the one question and its answer");
    }
}
