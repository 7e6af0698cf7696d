using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>Every instance listens for stop requests and stops the generations it owns.</summary>
internal sealed class GenerationStopListener(RedisConnection redis, RunningGenerations running) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribing waits for Redis; the app must start without it, so this runs in the background and
        // the multiplexer re-subscribes by itself after reconnecting.
        _ = Task.Run(async () =>
        {
            var subscriber = await redis.GetSubscriberAsync();
            await subscriber.SubscribeAsync(RedisChannel.Literal(RedisGenerationKeys.StopChannel), (_, message) =>
            {
                if (Guid.TryParse(message.ToString(), out var generationId)) running.TryStop(generationId, StopReason.UserRequested);
            });
        }, CancellationToken.None);
        await Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
