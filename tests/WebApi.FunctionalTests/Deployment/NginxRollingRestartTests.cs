using System.Collections.Concurrent;
using System.Diagnostics;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>
/// A rolling restart behind the shipped nginx config: each instance in turn gets SIGTERM (it drains: 503 for new
/// requests, its answers end like a cancel, readers are closed so that they resume elsewhere), exits, and is
/// started again before the next one goes, while 50 clients keep asking questions.
/// </summary>
[NonParallelizable]
public sealed class NginxRollingRestartTests
{
    private const int Clients = 50;
    private const int SignupBonus = 1000;

    /// <summary>Set to a proxy_next_upstream value to measure another retry policy than the shipped one (docs/deployment.md).</summary>
    private const string NextUpstreamVariable = "STUDYGURU_NGINX_NEXT_UPSTREAM";

    [Test]
    public async Task RollingRestart_50ClientsConversing_EachAnswerEndsOnceWithNothingLostAndOneCharge()
    {
        var directives = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable(NextUpstreamVariable) is { Length: > 0 } policy) directives["proxy_next_upstream"] = policy;
        await using var cluster = await NginxCluster.StartAsync(tokenDelayMs: 40, new Dictionary<string, string?>
        {
            ["Limits:GenerationsPerMinute"] = "100",
            // Enough for every answer a client asks while the restarts go on.
            ["Points:SignupBonus"] = SignupBonus.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, directives);
        using var http = cluster.CreateClient(timeout: TimeSpan.FromMinutes(3));

        var users = new List<ApiClient.RegisteredUser>();
        for (var i = 0; i < Clients; i++) users.Add(await http.RegisterAsync());

        var records = new ConcurrentBag<(ApiClient.RegisteredUser User, ConversationRecord Record)>();
        var restartsDone = new TaskCompletionSource();
        async Task ClientAsync(ApiClient.RegisteredUser user, int index)
        {
            // Spread the starts so that answers are at every stage when an instance goes.
            await Task.Delay(index * 40);
            var asked = 0;
            while (asked < 2 || !restartsDone.Task.IsCompleted)
            {
                var record = await ResumingStreamClient.ConverseAsync(http, user.Token,
                    new { message = $"Explain the water cycle to student {index}, question {asked}", max_tokens = 200 }, TimeSpan.FromMinutes(2));
                records.Add((user, record));
                asked++;
            }
        }

        var conversing = Task.WhenAll(users.Select(ClientAsync));
        var restart = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 2; i++)
        {
            await cluster.StopGracefullyAsync(i);
            await cluster.StartInstanceAsync(i);
            // Back means back in nginx's rotation, not only listening (docs/deployment.md, "Rolling restart").
            await cluster.WaitUntilServedThroughNginxAsync(i);
        }
        var restartTime = restart.Elapsed;
        restartsDone.SetResult();
        await conversing.WaitAsync(TimeSpan.FromMinutes(5));

        var all = records.ToList();
        var defects = all.SelectMany(r => ResumingStreamClient.Defects(r.Record).Select(d => $"{r.User.Email}: {d}")).ToList();
        Assert.That(defects, Is.Empty, () => cluster.Diagnostics());

        // One charge per answer: each user's ledger has one "used" entry per answer that cost something, for its
        // cost, and nothing is left held.
        foreach (var group in all.GroupBy(r => r.User))
        {
            var charged = group.Where(r => r.Record.Terminal is { Type: "complete" }).Select(r => r.Record.Terminal!.Int("points_cost")).Where(p => p > 0).ToList();
            var ledger = await http.GetJsonAsync("/api/account/points/transactions?size=100", group.Key.Token);
            var used = ledger.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "used")
                .Select(i => i.GetProperty("points").GetInt32()).ToList();
            Assert.That(used.Order(), Is.EqualTo(charged.Order()), () =>
                $"{group.Key.Email}: ledger against the charges its client saw (used [{string.Join(", ", used)}], " +
                $"charged [{string.Join(", ", charged)}]); its answers:\n{string.Join("\n", group.Select(r => Describe(r.Record)))}\n{cluster.Diagnostics()}");
            var account = await http.GetJsonAsync("/api/account", group.Key.Token);
            Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(SignupBonus - charged.Sum()), $"{group.Key.Email}: nothing left held");
        }

        var durations = all.Select(r => r.Record.Duration.TotalSeconds).Order().ToList();
        var summary = $"policy '{(directives.TryGetValue("proxy_next_upstream", out var p) ? p : "shipped")}': {all.Count} answers by {Clients} clients, " +
                      $"restarts took {restartTime.TotalSeconds:F1} s; 503s seen by clients {all.Sum(r => r.Record.Refusals503)}, " +
                      $"Retry-After waited {all.Sum(r => r.Record.RetryAfterWaited.TotalSeconds):F0} s in total; reconnects {all.Sum(r => r.Record.Reconnects)}; " +
                      $"answers ended cancelled/shutting_down {all.Count(r => r.Record.Terminal?.Str("finish_reason") == "cancelled" || r.Record.Terminal?.Str("code") == "shutting_down")}; " +
                      $"answer time p50 {Percentile(durations, 0.5):F2} s, p95 {Percentile(durations, 0.95):F2} s, max {durations[^1]:F2} s";
        TestContext.Out.WriteLine(summary);
        await File.AppendAllTextAsync(Path.Combine(Contract.RepositoryPaths.Artifacts, "nginx-rolling-restart.txt"), summary + Environment.NewLine);
    }

    /// <summary>One answer as its client saw it: generation, how it ended, what it cost and how many times it reconnected.</summary>
    private static string Describe(ConversationRecord record) =>
        $"  generation {(record.Events.Count > 0 ? record.Events[0].Str("generation_id") : "none")}: " +
        $"{record.Terminal?.Type ?? "no end"} {record.Terminal?.Str("finish_reason") ?? record.Terminal?.Str("code")}, " +
        $"cost {(record.Terminal is { Type: "complete" } complete ? complete.Int("points_cost") : 0)}, " +
        $"{record.Events.Count} events, {record.Reconnects} reconnects, {record.Refusals503} refusals";

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
}
