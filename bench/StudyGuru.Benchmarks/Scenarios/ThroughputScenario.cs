using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>Scenario 2, throughput: 64 clients, no token delay, 1,000-token answers. Token events per second.</summary>
public static class ThroughputScenario
{
    public const string Name = "throughput";
    private const int Clients = 64;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var settings = new StreamSettings(TokenDelayMs: 0, AnswerWords: 1000, MaxTokens: 1500);
        var warmup = TimeSpan.FromSeconds(options.Quick ? 2 : 5);
        var window = TimeSpan.FromSeconds(options.Quick ? 4 : 20);

        var results = await ScenarioTargets.MeasureEachAsync(options, settings,
            target => ClosedLoop.RunAsync(target, Clients, settings.MaxTokens, warmup, window));

        var table = new ResultTable($"throughput: {Clients} clients, {settings.AnswerWords}-word answers, no delay, {window.TotalSeconds:0} s window",
            "target", "errors", "token events/s", "conversations/s", "tokens/conv", "server cores", "server us/token", "client cores", "server RSS MB");
        foreach (var (target, r) in results)
            table.Row(target, r.Errors, r.TokensPerSecond, r.ConversationsPerSecond, r.TokensPerConversation, r.Server.CoresUsed,
                r.ServerCpuUsPerToken, r.ClientCpuSeconds / r.WindowSeconds, r.Server.RssKb / 1024.0);
        table.Print();
        var ratio = ScenarioTargets.Ratio(results, r => r.TokensPerSecond);
        Console.WriteLine($"  token events/s, api / baseline: {ratio:0.00}   goal: >= 0.50");
        foreach (var (target, r) in results)
            foreach (var error in r.TopErrors) Console.WriteLine($"  {target} error: {error}");

        Console.WriteLine("  " + ResultsFile.Write(Name, new
        {
            settings,
            clients = Clients,
            targets = results.ToDictionary(r => r.Target, r => (object)r.Result),
            token_events_per_second_ratio_api_to_baseline = ratio,
        }));
    }
}
