using System.Diagnostics;
using StudyGuru.WebApi.FunctionalTests.Contract;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>
/// <c>kill -9</c> of the instance that runs an answer, behind the shipped nginx config: the client, resuming like
/// EventSource with Last-Event-ID through nginx, gets every event that was produced and then one terminal event;
/// the saved answer holds every word the client was shown; the reservation comes back within lease + sweep and
/// nothing is charged. The owner dies while Redis is stalled (SIGSTOP for 0.7 s): an owner that showed its client
/// events before the shared buffer held them loses them for every other instance, and its client then waits for a
/// terminal event that comes under a sequence it already holds.
/// </summary>
[NonParallelizable]
public sealed class NginxCrashTests
{
    private const int LeaseSeconds = 3;
    private const int SweepSeconds = 1;

    [Test]
    public async Task OwnerKilled_ClientResumingThroughNginx_GetsEveryEventThenOneTerminal_PointsReturnedNothingCharged()
    {
        await using var cluster = await NginxCluster.StartAsync(tokenDelayMs: 100, new Dictionary<string, string?>
        {
            ["Points:LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Points:SweepSeconds"] = SweepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Streaming:DisconnectGraceSeconds"] = "30",
        });
        using var http = cluster.CreateClient();
        var returnTimes = new List<double>();

        for (var round = 0; round < 3; round++)
        {
            var user = await http.RegisterAsync();
            var received = 0;
            var conversing = ResumingStreamClient.ConverseAsync(http, user.Token,
                new { message = $"Explain plate tectonics, part {round}", max_tokens = 400 }, TimeSpan.FromSeconds(60),
                _ => Interlocked.Increment(ref received));
            while (Volatile.Read(ref received) < 4) await Task.Delay(10);
            int? owner = null;
            for (var attempt = 0; attempt < 50 && owner is null; attempt++) owner = await cluster.InstanceRunningAGenerationAsync();
            Assert.That(owner, Is.Not.Null, "exactly one instance runs the answer");
            var ownerIndex = owner!.Value;

            // Redis stalls for a moment (SIGSTOP) and the owner dies during it: whatever the client was shown must
            // already be in the shared buffer, or the instance that takes over cannot serve it.
            cluster.Redis.Freeze();
            await Task.Delay(700);
            cluster.Instances[ownerIndex]!.KillNow();
            var killed = Stopwatch.StartNew();
            cluster.Redis.Thaw();

            var record = await conversing;
            await cluster.CrashAsync(ownerIndex);
            Assert.That(ResumingStreamClient.Defects(record), Is.Empty, () => $"round {round}\n{cluster.Diagnostics()}");
            Assert.That(record.Terminal!.Type, Is.EqualTo("error"), "the sweep ends an answer whose owner died");
            Assert.That(record.Reconnects, Is.Positive, "the client lost its connection with the instance");

            double? returnedAfter = null;
            while (killed.Elapsed < TimeSpan.FromSeconds(LeaseSeconds + SweepSeconds + 10))
            {
                var account = await GetThroughNginxAsync(cluster, http, "/api/account", user.Token);
                if (account.GetProperty("current_points").GetInt32() == 30)
                {
                    returnedAfter = killed.Elapsed.TotalSeconds;
                    Assert.That(account.GetProperty("total_points_used").GetInt32(), Is.Zero, "nothing charged");
                    break;
                }
                await Task.Delay(100);
            }
            Assert.That(returnedAfter, Is.Not.Null.And.LessThanOrEqualTo(LeaseSeconds + SweepSeconds + 2.0),
                "the reservation comes back within lease + sweep (and a moment of work)");
            returnTimes.Add(returnedAfter!.Value);

            var interactionId = record.Events[0].Str("interaction_id");
            var messages = await GetThroughNginxAsync(cluster, http, $"/api/interactions/{interactionId}/messages", user.Token);
            var answer = messages.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "assistant");
            var shown = string.Concat(record.Events.Where(e => e.Type == "token").Select(e => e.Str("content")));
            Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(answer.GetProperty("content").GetString(), Is.EqualTo(shown), "every word the student was shown is saved");
            var ledger = await GetThroughNginxAsync(cluster, http, "/api/account/points/transactions", user.Token);
            Assert.That(ledger.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "used"), Is.Zero);

            await cluster.StartInstanceAsync(ownerIndex);
            await cluster.WaitUntilServedThroughNginxAsync(ownerIndex);
        }
        TestContext.Out.WriteLine($"points returned {string.Join(", ", returnTimes.Select(t => $"{t:F1} s"))} after the kill (lease {LeaseSeconds} s + sweep {SweepSeconds} s)");
    }

    private static async Task<System.Text.Json.JsonElement> GetThroughNginxAsync(NginxCluster cluster, HttpClient http, string path, string token)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Get, path, token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), () => $"{path}: {body}\n{cluster.Nginx.AccessLog}\n{cluster.Diagnostics()}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }
}
