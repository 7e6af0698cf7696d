using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

public sealed class DisconnectTests
{
    [Test]
    public async Task StreamConversation_ClientDropsAfterFewTokens_ModelCancelledPartialSavedAndCharged()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "40" }, recordModel: true);
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();

        string? interactionId = null;
        var tokens = 0;
        using (var response = await client.SendAsync(
                   ApiClient.StreamRequest(user.Token, new { message = "Explain the water cycle in detail", max_tokens = 400 }),
                   HttpCompletionOption.ResponseHeadersRead))
        {
            await foreach (var item in SseStream.ReadAsync(response))
            {
                if (item.Type == "metadata") interactionId = item.Str("interaction_id");
                if (item.Type == "token" && ++tokens == 4) break;
            }
        }

        var recorder = factory.Recorder!;
        await WaitUntil(() => !recorder.Outcomes.IsEmpty);
        Assert.That(recorder.Outcomes.Single(), Is.EqualTo("cancelled"));

        // The settlement runs right after the cancel; poll for the saved answer.
        JsonElement ledger = default;
        await WaitUntil(async () =>
        {
            ledger = await client.GetJsonAsync("/api/account/points/transactions", user.Token);
            return ledger.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("type").GetString() == "used");
        });
        var used = ledger.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "used");
        var account = await client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30 - used.GetProperty("points").GetInt32()));

        using var scope = factory.Services.CreateScope();
        var repository = scope.ServiceProvider.GetRequiredService<StudyGuru.Application.Abstractions.IInteractionRepository>();
        var messages = await repository.GetRecentMessagesAsync(Guid.Parse(interactionId!), 10, CancellationToken.None);
        var answer = messages.Single(m => m.Role == Domain.Interactions.MessageRole.Assistant);
        Assert.That(answer.Status, Is.EqualTo(Domain.Interactions.MessageStatus.Cancelled));
        Assert.That(answer.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, Is.GreaterThanOrEqualTo(4));
        Assert.That(answer.OutputTokens, Is.GreaterThan(0));
        Assert.That(used.GetProperty("points").GetInt32(), Is.EqualTo(Math.Max(1, answer.TokensUsed / 100)));
        Assert.That(answer.PointsCost, Is.EqualTo(used.GetProperty("points").GetInt32()));
    }

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()));

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The condition was not met within 15 s.");
            await Task.Delay(50);
        }
    }
}
