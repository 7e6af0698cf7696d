using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// A graceful stop: first refuse new requests (503 with Retry-After, readiness too) so the load balancer
/// moves traffic away; give running generations <c>Streaming:DrainSeconds</c> to finish; then end the
/// ones still owned here like a cancel, and close reader-only streams without a terminal event so their
/// clients resume on another instance.
/// </summary>
public sealed partial class GenerationDrainService(
    ShutdownSignal shutdown, RunningGenerations running, IOptions<StreamingOptions> options, ILogger<GenerationDrainService> logger)
    : IHostedService
{
    /// <summary>How long the stopped generations get to settle after being told to stop.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        shutdown.BeginDrain();
        var drain = TimeSpan.FromSeconds(Math.Max(0, options.Value.DrainSeconds));
        LogDraining(running.Count, drain.TotalSeconds);
        await WaitUntilIdleAsync(drain, cancellationToken);

        foreach (var generation in running.Snapshot()) generation.Stop(StopReason.ShuttingDown);
        shutdown.EndReaders();
        await WaitUntilIdleAsync(SettleWait, cancellationToken);
        LogDrained(running.Count);
    }

    private async Task WaitUntilIdleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (running.Count > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Running} generations running; new requests get 503 for up to {Seconds} s")]
    private partial void LogDraining(int running, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained; {Running} generations still settling")]
    private partial void LogDrained(int running);
}
