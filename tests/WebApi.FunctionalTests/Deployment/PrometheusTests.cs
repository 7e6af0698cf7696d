using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StudyGuru.TestSupport.Prometheus;
using StudyGuru.WebApi.FunctionalTests.Contract;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>
/// deploy/prometheus and deploy/grafana against the real programs: promtool checks and unit-tests the alert rules;
/// a real Prometheus scrapes a live API (Production: /metrics on its management port) and its query API returns a
/// conversation's counters; every metric the rules and the dashboard name is one that the live server exports.
/// </summary>
[NonParallelizable]
public sealed partial class PrometheusTests
{
    private static string Deploy(params string[] parts) => Path.Combine([RepositoryPaths.Root, "deploy", .. parts]);

    [Test]
    public async Task AlertRules_PassPromtoolCheckAndTheirUnitTests_AndEveryAlertHasAFiringCase()
    {
        var check = await RunAsync("promtool", "check", "rules", Deploy("prometheus", "alerts.yml"));
        Assert.That(check.ExitCode, Is.Zero, check.Output);
        var test = await RunAsync("promtool", "test", "rules", Deploy("prometheus", "alerts.test.yml"));
        Assert.That(test.ExitCode, Is.Zero, test.Output);

        var alerts = AlertName().Matches(await File.ReadAllTextAsync(Deploy("prometheus", "alerts.yml"))).Select(m => m.Groups[1].Value).ToList();
        Assert.That(alerts, Has.Count.GreaterThanOrEqualTo(8));
        var tests = await File.ReadAllTextAsync(Deploy("prometheus", "alerts.test.yml"));
        foreach (var alert in alerts)
            Assert.That(tests, Does.Match($@"alertname: {alert}\s*\n\s*exp_alerts:\s*\n\s*- exp_labels"), $"{alert} has no case where it fires");
    }

    [Test]
    public async Task LivePrometheus_ScrapesTheApi_AndReadsBackAConversationsCounters_AndEveryNamedMetricIsExported()
    {
        var metricsPort = LiveApiServer.FreePort();
        await using var api = await LiveApiServer.StartAsync(tokenDelayMs: 5, new Dictionary<string, string?>
        {
            ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        }, environment: "Production");
        await using var prometheus = await PrometheusServer.StartAsync(
            [$"127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}"], [Deploy("prometheus", "alerts.yml")]);

        using var client = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        using (var onApiPort = await client.GetAsync("/metrics"))
            Assert.That((int)onApiPort.StatusCode, Is.EqualTo(404), "Production serves /metrics only on the management port");
        var user = await client.RegisterAsync();
        var events = await client.StreamAsync(user.Token, new { message = "Explain why the sky is blue", max_tokens = 200 });
        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        var tokens = events.Count(e => e.Type == "token");

        // Prometheus scrapes every second: wait for the settled conversation to show up in its queries.
        var deadline = Stopwatch.StartNew();
        double? seenTokens = null, seenPoints = null, seenStops = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && (seenTokens != tokens || seenPoints != complete.Int("points_cost") || seenStops != 1))
        {
            await Task.Delay(500);
            seenTokens = (await prometheus.QueryAsync("sum(studyguru_stream_tokens_total)")).Select(r => r.Value).FirstOrDefault();
            seenPoints = (await prometheus.QueryAsync("sum(studyguru_points_charged_total)")).Select(r => r.Value).FirstOrDefault();
            seenStops = (await prometheus.QueryAsync("sum(studyguru_stream_outcomes_total{code=\"stop\"})")).Select(r => r.Value).FirstOrDefault();
        }
        Assert.That(seenTokens, Is.EqualTo(tokens), prometheus.Output);
        Assert.That(seenPoints, Is.EqualTo(complete.Int("points_cost")));
        Assert.That(seenStops, Is.EqualTo(1));
        var up = await prometheus.QueryAsync("up{job=\"studyguru\"}");
        Assert.That(up.Single().Value, Is.EqualTo(1));
        var ready = await prometheus.QueryAsync("studyguru_health_status{check=\"ready\"}");
        Assert.That(ready.Single().Value, Is.EqualTo(2), "the readiness checks run by the health publisher");

        var loaded = await prometheus.LoadedAlertsAsync();
        var shipped = AlertName().Matches(await File.ReadAllTextAsync(Deploy("prometheus", "alerts.yml"))).Select(m => m.Groups[1].Value);
        Assert.That(loaded, Is.EquivalentTo(shipped), "Prometheus loads the shipped rules");

        // Every metric that an alert or a dashboard panel names is one this server exports.
        using var scrape = new HttpClient();
        var exported = await scrape.GetStringAsync($"http://127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}/metrics");
        var exportedNames = exported.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => MetricName().Match(l).Value).ToHashSet();
        var named = new[] { Deploy("prometheus", "alerts.yml"), Deploy("grafana", "studyguru.json") }
            .SelectMany(f => NamedMetric().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Name: m.Value)))
            .Distinct().ToList();
        Assert.That(named.Select(n => n.Name).Distinct().Count(), Is.GreaterThanOrEqualTo(8));
        Assert.That(named.Where(n => !exportedNames.Contains(n.Name)).Select(n => $"{n.File}: {n.Name}"), Is.Empty, exported);
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"\b(?:studyguru|http_server)_[a-z0-9_]+\b")]
    private static partial Regex NamedMetric();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"Cannot start '{program}': {exception.Message}. Install it with `apt-get install -y prometheus` (scripts/test.sh does).", exception);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }
}
