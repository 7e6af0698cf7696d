using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// Stop requests published to every instance (the owner stops its generation), and readers' presence
/// on other instances: a sorted set of reader ids scored by when their presence expires (refreshed
/// every 2 s, gone 5 s after the reader is).
/// </summary>
internal sealed class RedisGenerationSignals(RedisConnection redis, TimeProvider time) : IGenerationSignals
{
    public static readonly TimeSpan PresenceRefresh = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PresenceLifetime = TimeSpan.FromSeconds(5);

    private TimeProvider Time => time;

    /// <summary>How long a stop request waits for the owning instance to say it stopped the generation.</summary>
    public static readonly TimeSpan StopAcknowledgement = TimeSpan.FromSeconds(2);

    // Unlike presence, a stop has no memory answer: the generation runs on another instance, so while Redis
    // cannot carry the request the answer is a 503 (docs/domain-rules.md, "Cancelling").
    public async Task<bool> RequestStopAsync(Guid generationId, CancellationToken cancellationToken) =>
        await redis.RunOrFallBackAsync(
            database => AskOwnerToStopAsync(database.Multiplexer.GetSubscriber(), generationId, cancellationToken),
            static () => throw Unreachable());

    /// <summary>Publishes the stop request; true when the owning instance acknowledged it in time.</summary>
    private static async Task<bool> AskOwnerToStopAsync(ISubscriber subscriber, Guid generationId, CancellationToken cancellationToken)
    {
        var replyChannel = RedisChannel.Literal(RedisGenerationKeys.StopReply(Guid.NewGuid()));
        var replies = await subscriber.SubscribeAsync(replyChannel);
        try
        {
            await subscriber.PublishAsync(RedisChannel.Literal(RedisGenerationKeys.StopChannel),
                RedisStopRequest.Format(generationId, replyChannel.ToString()));
            // Every instance hears the request; only the one that owns the generation answers.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StopAcknowledgement);
            await replies.ReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nobody acknowledged: no instance runs this generation.
            return false;
        }
        finally
        {
            await replies.UnsubscribeAsync();
        }
    }

    /// <summary>The generation runs on another instance, and Redis cannot reach it now (503, retry).</summary>
    private static ServiceUnavailableException Unreachable() =>
        new("The server running this answer cannot be reached right now. Please retry shortly.");

    // While Redis cannot say, no remote reader is assumed: the owner then goes by its local readers.
    public ValueTask<bool> HasRemoteReadersAsync(Guid generationId, CancellationToken cancellationToken) =>
        redis.RunOrFallBackAsync(
            async database =>
            {
                var key = RedisGenerationKeys.Readers(generationId);
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                await database.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now);
                return await database.SortedSetLengthAsync(key) > 0;
            },
            static () => false);

    public IAsyncDisposable TrackRemoteReader(Guid generationId) => new Presence(this, generationId);

    // A presence that could not be refreshed now is refreshed at the next tick; it must never end the loop.
    private async Task MarkAsync(Guid generationId, string readerId) =>
        await redis.TryRunAsync(
            async database =>
            {
                var key = RedisGenerationKeys.Readers(generationId);
                var expires = (time.GetUtcNow() + PresenceLifetime).ToUnixTimeMilliseconds();
                await database.SortedSetAddAsync(key, readerId, expires).WaitAsync(PresenceCallBound);
                await database.KeyExpireAsync(key, TimeSpan.FromMinutes(10)).WaitAsync(PresenceCallBound);
            },
            IsRedisTrouble);

    // A presence that could not be removed expires on its own (PresenceLifetime).
    private async Task UnmarkAsync(Guid generationId, string readerId) =>
        await redis.TryRunAsync(
            database => database.SortedSetRemoveAsync(RedisGenerationKeys.Readers(generationId), readerId).WaitAsync(PresenceCallBound),
            IsRedisTrouble);

    /// <summary>The longest a presence call may hold its reader (the client library's timeout should end it sooner).</summary>
    private static readonly TimeSpan PresenceCallBound = RedisConnection.OperationTimeout * 3;

    /// <summary>A failed or stuck Redis call. A connection the client library tears down under a command (after timeouts,
    /// e.g. while Redis is paused) can fail it with an <see cref="InvalidOperationException"/> from the socket pipe.</summary>
    private static bool IsRedisTrouble(Exception exception) =>
        RedisConnection.IsUnavailable(exception) || exception is InvalidOperationException;

    private sealed class Presence : IAsyncDisposable
    {
        private readonly RedisGenerationSignals _owner;
        private readonly Guid _generationId;
        private readonly string _readerId = Guid.NewGuid().ToString("N");
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _refreshing;

        public Presence(RedisGenerationSignals owner, Guid generationId)
        {
            _owner = owner;
            _generationId = generationId;
            _refreshing = RefreshAsync();
        }

        private async Task RefreshAsync()
        {
            using var timer = new PeriodicTimer(PresenceRefresh, _owner.Time);
            await _owner.MarkAsync(_generationId, _readerId);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token)) await _owner.MarkAsync(_generationId, _readerId);
            }
            catch (OperationCanceledException)
            {
                // The reader left.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _refreshing;
            await _owner.UnmarkAsync(_generationId, _readerId);
            _stop.Dispose();
        }
    }
}
