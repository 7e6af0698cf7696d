using System.Diagnostics;
using StudyGuru.Benchmarks.Clients;
using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Reporting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// A fixed number of clients, each starting its next conversation as soon as the last one ended. After a
/// warm-up, counts what arrives in a measurement window, and the server's and this program's CPU time in it.
/// </summary>
public static class ClosedLoop
{
    public sealed record Measurement(
        double WindowSeconds,
        double TokensPerSecond,
        double ConversationsPerSecond,
        int Errors,
        IReadOnlyList<string> TopErrors,
        Distribution ConversationMs,
        Distribution FirstTokenMs,
        double TokensPerConversation,
        ProcessUsage Server,
        double ClientCpuSeconds,
        double ServerCpuMsPerConversation,
        double ServerCpuUsPerToken);

    public static async Task<Measurement> RunAsync(Target target, int clients, int maxTokens, TimeSpan warmup, TimeSpan window)
    {
        using var client = new SseConversationClient(maxTokens);
        var counters = new LiveCounters();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var done = new List<ConversationResult>();
            while (!stop.IsCancellationRequested)
                done.Add(await client.RunAsync(target, target.TokenFor(i), false, counters, CancellationToken.None));
            return done;
        })).ToArray();

        await Task.Delay(warmup);
        var (tokens0, conversations0, server0) = (counters.Tokens, counters.Conversations, target.Server.Sample());
        var client0 = Process.GetCurrentProcess().TotalProcessorTime;
        var from = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        var (tokens1, conversations1, server1) = (counters.Tokens, counters.Conversations, target.Server.Sample());
        var client1 = Process.GetCurrentProcess().TotalProcessorTime;
        var to = Stopwatch.GetTimestamp();
        await stop.CancelAsync();
        var all = (await Task.WhenAll(loops)).SelectMany(d => d).ToList();

        var seconds = ConversationResult.Milliseconds(from, to) / 1000;
        var inWindow = all.Where(r => r.Succeeded && r.Started >= from && r.Ended <= to).ToList();
        var server = ProcessUsage.Between(server0, server1);
        var conversations = conversations1 - conversations0;
        var tokens = tokens1 - tokens0;
        return new Measurement(
            seconds,
            tokens / seconds,
            conversations / seconds,
            all.Count(r => !r.Succeeded),
            ScenarioTargets.TopErrors(all),
            Distribution.Of(inWindow.Select(r => r.MillisecondsTotal)),
            Distribution.Of(inWindow.Select(r => r.MillisecondsToFirstToken)),
            inWindow.Count == 0 ? 0 : inWindow.Average(r => r.Tokens),
            server,
            (client1 - client0).TotalSeconds,
            conversations == 0 ? double.NaN : server.CpuSeconds * 1000 / conversations,
            tokens == 0 ? double.NaN : server.CpuSeconds * 1_000_000 / tokens);
    }
}
