using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// The one owner of this instance's background work around generations (docs/architecture.md, "The host"):
/// it runs every started generation to its end, renews their leases, stops the ones whose readers left,
/// sweeps expired leases of any instance, refreshes titles, and drains on shutdown. Every task it starts is
/// tracked, logs its own failure, and is awaited before the host stops.
/// </summary>
public sealed partial class GenerationHost(
    GenerationRunner runner,
    RunningGenerations running,
    IServiceScopeFactory scopes,
    IGenerationSignals signals,
    IConversationCache cache,
    ShutdownSignal shutdown,
    StreamMetrics metrics,
    TimeProvider time,
    IOptions<PointsOptions> pointsOptions,
    IOptions<StreamingOptions> streamingOptions,
    ILogger<GenerationHost> logger) : IHostedLifecycleService
{
    /// <summary>How often readerless generations are looked at (the disconnect grace is counted in whole seconds).</summary>
    public static readonly TimeSpan ReaderCheckInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the stopped generations get to settle after being told to stop.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Task, byte> _work = new();
    // Never disposed: it has no timer, and the host may be stopped after the container disposed its singletons.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How often the owner renews its reservations' leases: every 20 s, or a third of a shorter lease.</summary>
    public static TimeSpan LeaseRenewalInterval(int leaseSeconds) =>
        TimeSpan.FromSeconds(Math.Clamp(leaseSeconds / 3.0, 0.5, 20));

    /// <summary>Runs a generation whose start was committed; it ends with exactly one terminal event in <paramref name="buffer"/>.</summary>
    public RunningGeneration Start(GenerationPlan plan, IGenerationBuffer buffer)
    {
        var generation = new RunningGeneration(
            plan.GenerationId, plan.UserId, plan.InteractionId,
            TimeSpan.FromSeconds(streamingOptions.Value.DisconnectGraceSeconds), time);
        running.Add(generation);
        metrics.GenerationStarted();
        Track(RunAsync(plan, buffer, generation));
        return generation;
    }

    private async Task RunAsync(GenerationPlan plan, IGenerationBuffer buffer, RunningGeneration generation)
    {
        // The starting request returns its reader first; the generation continues on the thread pool.
        await Task.Yield();
        try
        {
            var outcome = await runner.RunAsync(plan, buffer, generation);
            if (outcome.RefreshTitle) Track(RefreshTitleAsync(plan, outcome.Content));
        }
        finally
        {
            running.Remove(generation);
            generation.Dispose();
        }
    }

    private void Track(Task work)
    {
        _work.TryAdd(work, 0);
        work.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _),
            _work, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Track(RenewLeasesAsync(_stopping.Token));
        Track(WatchReadersAsync(_stopping.Token));
        Track(SweepAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A graceful stop, before any hosted service stops (the web server included): refuse new requests (503),
    /// give running generations <c>Streaming:DrainSeconds</c> to finish, then end the ones still owned here
    /// like a cancel and close reader-only streams without a terminal event, so their clients resume elsewhere.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        shutdown.BeginDrain();
        var drain = TimeSpan.FromSeconds(Math.Max(0, streamingOptions.Value.DrainSeconds));
        LogDraining(running.Count, drain.TotalSeconds);
        await WaitUntilIdleAsync(drain, cancellationToken);

        foreach (var generation in running.Snapshot()) generation.Stop(StopReason.ShuttingDown);
        shutdown.EndReaders();
        await WaitUntilIdleAsync(SettleWait, cancellationToken);
        LogDrained(running.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_work.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(_work.Count);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitUntilIdleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limit;
        while (running.Count > 0 && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None);
    }

    /// <summary>One loop renews the lease of every generation owned here; a failed renewal is retried at the next tick.</summary>
    private async Task RenewLeasesAsync(CancellationToken stoppingToken)
    {
        var leaseSeconds = pointsOptions.Value.LeaseSeconds;
        using var timer = new PeriodicTimer(LeaseRenewalInterval(leaseSeconds), time);
        while (await WaitForTickAsync(timer, stoppingToken))
        {
            foreach (var generation in running.Snapshot())
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var until = time.GetUtcNow().UtcDateTime.AddSeconds(leaseSeconds);
                    if (!await scope.ServiceProvider.GetRequiredService<IGenerationRepository>()
                            .RenewLeaseAsync(generation.GenerationId, until, stoppingToken))
                        generation.Stop(StopReason.LeaseLost);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
                {
                    // One failed renewal is not a lost lease: the next tick comes well before it expires.
                    LogRenewalFailed(generation.GenerationId, exception);
                }
            }
        }
    }

    /// <summary>Stops generations whose last reader left longer than the disconnect grace ago, unless a reader
    /// on another instance still follows them.</summary>
    private async Task WatchReadersAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReaderCheckInterval, time);
        while (await WaitForTickAsync(timer, stoppingToken))
        {
            foreach (var generation in running.Snapshot())
            {
                if (!generation.IsAbandoned(time.GetUtcNow())) continue;
                bool remote;
                try
                {
                    remote = await signals.HasRemoteReadersAsync(generation.GenerationId, stoppingToken);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
                {
                    remote = false;
                }
                if (remote) generation.PostponeAbandonment(time.GetUtcNow() + RunningGeneration.RemoteReaderRecheck);
                else generation.Stop(StopReason.ClientLeft);
            }
        }
    }

    /// <summary>Every instance sweeps expired leases (of any instance) every <c>Points:SweepSeconds</c>.</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, pointsOptions.Value.SweepSeconds)), time);
        while (await WaitForTickAsync(timer, stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<LeaseSweeper>().SweepOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
            {
                LogSweepFailed(exception);
            }
        }
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>After a completed first answer from a real model: a better title, unless the user renamed the thread meanwhile.</summary>
    private async Task RefreshTitleAsync(GenerationPlan plan, string answer)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var titles = await scope.ServiceProvider.GetRequiredService<ITitleGenerator>()
                .GenerateAsync(plan.TitleQuestion!, answer, _stopping.Token);
            if (titles is null) return;
            var applied = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
                .TrySetGeneratedTitlesAsync(plan.InteractionId, titles.Title, titles.SummaryTitle, time.GetUtcNow().UtcDateTime, CancellationToken.None);
            if (applied) await cache.InvalidateInteractionAsync(plan.InteractionId, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogTitleFailed(plan.InteractionId, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Running} generations running; new requests get 503 for up to {Seconds} s")]
    private partial void LogDraining(int running, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained; {Running} generations still settling")]
    private partial void LogDrained(int running);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The host stopped with {Count} tasks still running")]
    private partial void LogStopTimedOut(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: a lease renewal failed; retrying at the next tick")]
    private partial void LogRenewalFailed(Guid generationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lease sweep failed; it runs again at the next tick")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Title generation for interaction {InteractionId} failed")]
    private partial void LogTitleFailed(Guid interactionId, Exception exception);
}
