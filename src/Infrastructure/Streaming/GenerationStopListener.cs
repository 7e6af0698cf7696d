using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// Every instance listens for stop requests and stops the generations it owns, then acknowledges on the
/// requester's reply channel: only an owner that really stopped something answers, so a cancel of a
/// generation that runs nowhere is a 404 rather than a 202 (docs/domain-rules.md, "Cancelling").
/// </summary>
internal sealed partial class GenerationStopListener(RedisConnection redis, RunningGenerations running, ILogger<GenerationStopListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribing waits for the first connection attempt; the app starts without Redis, and the
        // multiplexer re-subscribes by itself after reconnecting.
        try
        {
            var subscriber = await redis.GetSubscriberAsync().WaitAsync(stoppingToken);
            await subscriber.SubscribeAsync(RedisChannel.Literal(RedisGenerationKeys.StopChannel), (_, message) => OnStopRequested(subscriber, message));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSubscribeFailed(exception);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops before Redis answered.
        }
    }

    private void OnStopRequested(ISubscriber subscriber, RedisValue message)
    {
        if (!RedisStopRequest.TryParse(message.ToString(), out var generationId, out var replyChannel)) return;
        if (!running.TryStop(generationId, StopReason.UserRequested) || replyChannel is null) return;
        // Fire-and-forget is the pub/sub contract here: the requester waits for this message with a bound.
        subscriber.Publish(RedisChannel.Literal(replyChannel), generationId.ToString(), CommandFlags.FireAndForget);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to stop requests; cancels from other instances will not reach this one")]
    private partial void LogSubscribeFailed(Exception exception);
}
