using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Infrastructure.Hosting;

/// <summary>Every instance sweeps expired reservation leases every <c>Points:SweepSeconds</c>.</summary>
public sealed partial class LeaseSweepService(
    IServiceScopeFactory scopes, IOptions<PointsOptions> options, TimeProvider time, ILogger<LeaseSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepSeconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<LeaseSweeper>().SweepOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Lease sweep failed; it runs again at the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
