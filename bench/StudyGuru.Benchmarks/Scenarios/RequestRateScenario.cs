using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3, request rate: 32 clients, no token delay, 20-token answers. Conversations per second, each
/// a full cycle on the API (authenticate, reserve points, save the question, stream, settle and save the answer).
/// </summary>
public static class RequestRateScenario
{
    public const string Name = "request-rate";
    private const int Clients = 32;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var settings = new StreamSettings(TokenDelayMs: 0, AnswerWords: 20, MaxTokens: 200);
        var warmup = TimeSpan.FromSeconds(options.Quick ? 2 : 5);
        var window = TimeSpan.FromSeconds(options.Quick ? 4 : 20);

        var results = await ScenarioTargets.MeasureEachAsync(options, settings,
            target => ClosedLoop.RunAsync(target, Clients, settings.MaxTokens, warmup, window));

        var table = new ResultTable($"request rate: {Clients} clients, {settings.AnswerWords}-word answers, no delay, {window.TotalSeconds:0} s window",
            "target", "errors", "conversations/s", "latency p50 ms", "p99", "first token p50 ms", "server cores", "server CPU ms/conv", "client cores");
        foreach (var (target, r) in results)
            table.Row(target, r.Errors, r.ConversationsPerSecond, r.ConversationMs.P50, r.ConversationMs.P99, r.FirstTokenMs.P50,
                r.Server.CoresUsed, r.ServerCpuMsPerConversation, r.ClientCpuSeconds / r.WindowSeconds);
        table.Print();
        var ratio = ScenarioTargets.Ratio(results, r => r.ConversationsPerSecond);
        Console.WriteLine($"  conversations/s, api / baseline: {ratio:0.00}   goal: api >= 500/s");
        foreach (var (target, r) in results)
            foreach (var error in r.TopErrors) Console.WriteLine($"  {target} error: {error}");

        Console.WriteLine("  " + ResultsFile.Write(Name, new
        {
            settings,
            clients = Clients,
            targets = results.ToDictionary(r => r.Target, r => (object)r.Result),
            conversations_per_second_ratio_api_to_baseline = ratio,
        }));
    }
}
