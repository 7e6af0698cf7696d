using System.Diagnostics;
using StudyGuru.Benchmarks.Clients;
using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4, concurrency: thousands of streams open together at a realistic model pace (100 ms per token,
/// 50 tokens). Errors, the delay the server adds between tokens (observed gap minus the model's 100 ms),
/// and the server's memory and CPU.
/// </summary>
public static class ConcurrencyScenario
{
    public const string Name = "concurrency";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var streams = options.Quick ? 300 : 5000;
        var settings = new StreamSettings(TokenDelayMs: 100, AnswerWords: 50, MaxTokens: 200);
        // Streams are started evenly over the ramp, well inside one stream's 5 s, so that all are open at once.
        var ramp = TimeSpan.FromSeconds(options.Quick ? 1 : 2);

        var results = await ScenarioTargets.MeasureEachAsync(options, settings, target => MeasureAsync(target, streams, settings, ramp));

        var table = new ResultTable($"concurrency: {streams} streams started over {ramp.TotalSeconds:0} s, 100 ms per token, {settings.AnswerWords} tokens",
            "target", "errors", "peak open", "added gap p50 ms", "p99", "max", "metadata p99 ms", "server CPU s", "peak RSS MB", "peak fds", "threads");
        foreach (var (target, r) in results)
            table.Row(target, r.errors, r.peak_open_streams, r.added_inter_token_ms.P50, r.added_inter_token_ms.P99, r.added_inter_token_ms.Max,
                r.metadata_ms.P99, r.server.CpuSeconds, r.server.PeakRssKb / 1024.0, r.server.PeakOpenFiles, r.peak_threads);
        table.Print();
        Console.WriteLine("  goal: 0 errors, added inter-token p99 <= 50 ms, RSS <= 1 GB");
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

    /// <summary>Opens <paramref name="streams"/> streams evenly over <paramref name="ramp"/> and waits for all of them.</summary>
    internal static async Task<Result> MeasureAsync(Target target, int streams, StreamSettings settings, TimeSpan ramp)
    {
        using var client = new SseConversationClient(settings.MaxTokens);
        using var sampling = new CancellationTokenSource();
        var before = target.Server.Sample();
        var sampler = SampleAsync(target.Server, sampling.Token);

        var started = Stopwatch.GetTimestamp();
        var spacing = ramp / streams;
        var runs = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var due = spacing * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            return await client.RunAsync(target, target.TokenFor(i), true, null, CancellationToken.None);
        })).ToArray();
        var all = await Task.WhenAll(runs);

        await sampling.CancelAsync();
        var (peakFiles, peakThreads) = await sampler;
        var server = ProcessUsage.Between(before, target.Server.Sample(), peakFiles);
        var ok = all.Where(r => r.Succeeded).ToList();
        var gapMs = (double)settings.TokenDelayMs;
        return new Result(
            all.Length - ok.Count,
            ScenarioTargets.TopErrors(all),
            PeakOpen(ok),
            Distribution.Of(ok.SelectMany(r => Gaps(r.TokenTimes!)).Select(gap => gap - gapMs)),
            Distribution.Of(ok.Select(r => r.MillisecondsToMetadata)),
            Distribution.Of(ok.Select(r => r.MillisecondsTotal)),
            server,
            peakThreads);
    }

    internal sealed record Result(
        int errors,
        IReadOnlyList<string> top_errors,
        int peak_open_streams,
        Distribution added_inter_token_ms,
        Distribution metadata_ms,
        Distribution stream_ms,
        ProcessUsage server,
        int peak_threads);

    private static IEnumerable<double> Gaps(List<long> times)
    {
        for (var i = 1; i < times.Count; i++) yield return ConversationResult.Milliseconds(times[i - 1], times[i]);
    }

    /// <summary>The most streams that had received metadata and not yet their terminal event at one moment.</summary>
    private static int PeakOpen(IEnumerable<ConversationResult> results)
    {
        var edges = results.SelectMany(r => new[] { (At: r.MetadataAt, Step: 1), (At: r.Ended, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        int open = 0, peak = 0;
        foreach (var edge in edges) peak = Math.Max(peak, open += edge.Step);
        return peak;
    }

    /// <summary>Open files and threads peak between samples; memory's peak is the kernel's VmHWM.</summary>
    private static async Task<(int PeakOpenFiles, int PeakThreads)> SampleAsync(ServerProcess server, CancellationToken stop)
    {
        int files = 0, threads = 0;
        while (!stop.IsCancellationRequested)
        {
            var sample = server.Sample();
            files = Math.Max(files, sample.OpenFiles);
            threads = Math.Max(threads, sample.Threads);
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return (files, threads);
    }
}
