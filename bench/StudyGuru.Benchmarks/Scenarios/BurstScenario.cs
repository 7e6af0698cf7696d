using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5, burst: a class presses "ask" together. 5,000 streams opened within about one second at a
/// realistic model pace (100 ms per token, 50 tokens). What counts is how long each student waits for the
/// start of the answer (metadata p50/p99), errors and the server's memory; every start and settlement is a
/// durable write, so this is where their serialization shows.
/// </summary>
public static class BurstScenario
{
    public const string Name = "burst";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var streams = options.Quick ? 500 : 5000;
        var settings = new StreamSettings(TokenDelayMs: 100, AnswerWords: 50, MaxTokens: 200);
        var ramp = TimeSpan.FromSeconds(1);

        var results = await ScenarioTargets.MeasureEachAsync(options, settings,
            target => ConcurrencyScenario.MeasureAsync(target, streams, settings, ramp));

        var table = new ResultTable($"burst: {streams} streams opened within {ramp.TotalSeconds:0} s, 100 ms per token, {settings.AnswerWords} tokens",
            "target", "errors", "metadata p50 ms", "p90", "p99", "max", "stream p99 ms", "peak open", "server CPU s", "CPU ms/conv", "peak RSS MB");
        foreach (var (target, r) in results)
            table.Row(target, r.errors, r.metadata_ms.P50, r.metadata_ms.P90, r.metadata_ms.P99, r.metadata_ms.Max, r.stream_ms.P99,
                r.peak_open_streams, r.server.CpuSeconds, r.server.CpuSeconds * 1000 / streams, r.server.PeakRssKb / 1024.0);
        table.Print();
        Console.WriteLine("  goal: metadata p99 <= 2 s, 0 errors, RSS <= 1 GB");
        foreach (var (target, r) in results)
            foreach (var error in r.top_errors) Console.WriteLine($"  {target} error: {error}");

        Console.WriteLine("  " + ResultsFile.Write(Name, new
        {
            settings,
            streams,
            ramp_seconds = ramp.TotalSeconds,
            targets = results.ToDictionary(r => r.Target, r => (object)r.Result),
        }));
    }
}
