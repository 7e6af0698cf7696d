using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Resilience;

/// <summary>
/// The owner dies after its settlement committed and before it stored the terminal event on its own: another
/// instance (no Redis, so the live buffer died with the owner) still replays the answer from the database,
/// ending with the terminal event the owner's readers saw, instead of answering 503 for good.
/// </summary>
public sealed class ReplayAfterOwnerDiedTests
{
    [Test]
    public async Task ReplayElsewhere_OwnerDiedBetweenSettlementAndTerminalRecord_AnswersTheTerminalEvent()
    {
        await using var owner = new StudyGuruApiFactory(configureServices: OwnerDiesAfterSettlement.Decorate);
        using var ownerClient = owner.CreateClient();
        var user = await ownerClient.RegisterAsync();
        var answered = await ownerClient.StreamAsync(user.Token, new { message = "What is 12*(3+4)?" });
        var complete = answered[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        var generationId = answered[0].Str("generation_id");

        await using var elsewhere = new StudyGuruApiFactory(databaseFile: owner.DatabaseFile);
        using var client = elsewhere.CreateClient();
        using var replay = await client.SendAsync(
            ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token), HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)replay.StatusCode, Is.EqualTo(200), await ProblemTextAsync(replay));
        var replayed = await SseStream.ReadAllAsync(replay);

        var resumeAfterFirst = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/generations/{generationId}", user.Token);
        resumeAfterFirst.Headers.Add("Last-Event-ID", answered[0].Id);
        using var resumed = await client.SendAsync(resumeAfterFirst, HttpCompletionOption.ResponseHeadersRead);
        Assert.That((int)resumed.StatusCode, Is.EqualTo(200), await ProblemTextAsync(resumed));
        var afterFirst = await SseStream.ReadAllAsync(resumed);

        Assert.That(replayed[0].Type, Is.EqualTo("metadata"));
        Assert.That(replayed[^1].Type, Is.EqualTo("complete"));
        Assert.That(replayed[^1].Id, Is.EqualTo(complete.Id), "the terminal event keeps the sequence its readers saw");
        Assert.That(replayed[^1].Str("content"), Is.EqualTo(complete.Str("content")));
        Assert.That(replayed[^1].Int("points_balance"), Is.EqualTo(complete.Int("points_balance")));
        Assert.That(afterFirst.Select(e => e.Id), Is.EqualTo(new[] { complete.Id }));
    }

    private static async Task<string> ProblemTextAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}
