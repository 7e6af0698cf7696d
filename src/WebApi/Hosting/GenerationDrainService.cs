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
    : IHostedLifecycleService
{
    /// <summary>How long the stopped generations get to settle after being told to stop.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before any hosted service stops — the web server included, which the host stops first — so
    /// requests keep arriving (and get 503) while generations drain.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
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
