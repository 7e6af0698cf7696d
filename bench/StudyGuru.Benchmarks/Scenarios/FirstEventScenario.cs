using StudyGuru.Benchmarks.Clients;
using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1, first event: one client, conversations one after another, no token delay and short
/// answers. How soon metadata and the first token arrive after the request was sent.
/// </summary>
public static class FirstEventScenario
{
    public const string Name = "first-event";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var conversations = options.Quick ? 50 : 500;
        var warmup = options.Quick ? 10 : 50;
        var settings = new StreamSettings(TokenDelayMs: 0, AnswerWords: 20, MaxTokens: 200);

        var results = await ScenarioTargets.MeasureEachAsync(options, settings, async target =>
        {
            using var client = new SseConversationClient(settings.MaxTokens);
            for (var i = 0; i < warmup; i++) await client.RunAsync(target, target.TokenFor(i), false, null, CancellationToken.None);

            var measured = new List<ConversationResult>(conversations);
            for (var i = 0; i < conversations; i++)
                measured.Add(await client.RunAsync(target, target.TokenFor(i), false, null, CancellationToken.None));
            var ok = measured.Where(r => r.Succeeded).ToList();
            return new
            {
                conversations,
                errors = measured.Count - ok.Count,
                top_errors = ScenarioTargets.TopErrors(measured),
                metadata_ms = Distribution.Of(ok.Select(r => r.MillisecondsToMetadata)),
                first_token_ms = Distribution.Of(ok.Select(r => r.MillisecondsToFirstToken)),
                complete_ms = Distribution.Of(ok.Select(r => r.MillisecondsTotal)),
            };
        });

        var table = new ResultTable($"first event: 1 client, {conversations} sequential conversations, {settings.AnswerWords} words, no delay",
            "target", "errors", "metadata p50 ms", "p99", "first token p50 ms", "p99", "complete p50 ms");
        foreach (var (target, r) in results)
            table.Row(target, r.errors, r.metadata_ms.P50, r.metadata_ms.P99, r.first_token_ms.P50, r.first_token_ms.P99, r.complete_ms.P50);
        table.Print();
        var ratio = ScenarioTargets.Ratio(results, r => r.first_token_ms.P50);
        Console.WriteLine($"  first token p50, api / baseline: {ratio:0.00}x   goal: p50 <= 5 ms, p99 <= 20 ms");
        foreach (var (target, r) in results)
            foreach (var error in r.top_errors) Console.WriteLine($"  {target} error: {error}");

        Console.WriteLine("  " + ResultsFile.Write(Name, new
        {
            settings,
            conversations,
            targets = results.ToDictionary(r => r.Target, r => (object)r.Result),
            first_token_p50_ratio_api_to_baseline = ratio,
        }));
    }
}
