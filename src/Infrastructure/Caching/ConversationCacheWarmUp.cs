using Microsoft.Extensions.Hosting;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>
/// Creates the Redis-backed cache at start-up, which connects and subscribes to invalidations in
/// the background, so that the first requests already find Redis. It does not wait: the app
/// starts whether Redis answers or not.
/// </summary>
internal sealed class ConversationCacheWarmUp(IConversationCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(cache);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
