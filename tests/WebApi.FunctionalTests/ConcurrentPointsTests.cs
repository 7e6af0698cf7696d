using System.Net;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Two app instances on one SQLite file, one student with 30 points, 40 streams at once.</summary>
public sealed class ConcurrentPointsTests
{
    [Test]
    public async Task FortyStreamsAcrossTwoInstances_BalanceNeverNegativeAndLedgerAddsUp()
    {
        // Points are what this test is about: the per-user generation limits are raised out of the way.
        var settings = new Dictionary<string, string?>
        {
            ["Ai:Offline:TokenDelayMs"] = "5",
            ["Limits:ConcurrentGenerationsPerUser"] = "100",
            ["Limits:GenerationsPerMinute"] = "1000",
        };
        using var first = new StudyGuruApiFactory(settings);
        using var second = new StudyGuruApiFactory(settings, databaseFile: first.DatabaseFile);
        using var clientA = first.CreateClient();
        using var clientB = second.CreateClient();
        var user = await clientA.RegisterAsync();
        var lowestSeen = int.MaxValue;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var balance = (await clientB.GetJsonAsync("/api/account", user.Token)).GetProperty("current_points").GetInt32();
                lowestSeen = Math.Min(lowestSeen, balance);
                await Task.Delay(10);
            }
        });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var client = i % 2 == 0 ? clientA : clientB;
            using var response = await client.SendAsync(
                ApiClient.StreamRequest(user.Token, new { message = $"Question number {i}: what is {i}+{i}?", max_tokens = 30 }),
                HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                return ((int)response.StatusCode, 0, 0);
            }
            var events = await SseStream.ReadAllAsync(response);
            var terminals = events.Count(e => e.Type is "complete" or "error");
            return (200, terminals, events[^1].Type == "complete" ? events[^1].Int("points_cost") : 0);
        }));
        await watching.CancelAsync();
        await watcher;

        var succeeded = outcomes.Where(o => o.Item1 == 200).ToList();
        Assert.That(succeeded, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(succeeded.Select(o => o.Item2), Is.All.EqualTo(1), "every stream ends with exactly one terminal event");
        Assert.That(outcomes.Where(o => o.Item1 != 200).Select(o => o.Item1), Is.All.EqualTo(402));
        Assert.That(lowestSeen, Is.GreaterThanOrEqualTo(0));

        var account = await clientA.GetJsonAsync("/api/account", user.Token);
        var current = account.GetProperty("current_points").GetInt32();
        Assert.That(current, Is.GreaterThanOrEqualTo(0));
        Assert.That(current, Is.EqualTo(account.GetProperty("total_points_earned").GetInt32() - account.GetProperty("total_points_used").GetInt32()));
        var ledger = await clientA.GetJsonAsync("/api/account/points/transactions?size=100", user.Token);
        var usedSum = ledger.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetString() == "used").Sum(i => i.GetProperty("points").GetInt32());
        Assert.That(usedSum, Is.EqualTo(account.GetProperty("total_points_used").GetInt32()));
        Assert.That(usedSum, Is.EqualTo(succeeded.Sum(o => o.Item3)));
    }
}
