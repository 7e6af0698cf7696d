using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>
/// The conversation caches in Redis, shared by every instance. Redis is the only copy that is
/// read while it is reachable: a local copy of ownership or history could be stale on another
/// instance for as long as an invalidation message takes to arrive, to save a sub-millisecond
/// round trip on a request that then streams for seconds (on loopback a GET took ~0.3 ms at the
/// median, the memory read ~0.3 µs). Every write also lands in a local
/// <see cref="MemoryConversationCache"/> with short lifetimes, which is read only while Redis is
/// unreachable (and kept current meanwhile by the invalidation messages). Responses never change
/// for a given prompt, so they are read locally first.
/// A Redis failure is a miss or a skipped write, never an exception.
/// </summary>
public sealed partial class RedisConversationCache : IConversationCache, IAsyncDisposable
{
    internal static readonly TimeSpan OwnerTtl = TimeSpan.FromMinutes(30);
    internal static readonly TimeSpan HistoryTtl = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan ResponseTtl = TimeSpan.FromHours(1);

    // Invalidations that could not reach Redis are sent again when it is back; past this many,
    // the Redis lifetimes bound the staleness instead.
    private const int MaxPendingInvalidations = 10_000;

    private readonly RedisConnection _connection;
    private readonly ILogger<RedisConversationCache> _logger;
    private readonly MemoryConversationCache _local = new(ConversationCacheLifetimes.RedisFallback);
    private readonly ConcurrentDictionary<Guid, byte> _pendingInvalidations = new();
    private readonly Action<RedisChannel, RedisValue> _onInvalidation;
    private int _replaying;
    private Task _replay = Task.CompletedTask;

    public RedisConversationCache(RedisConnection connection, ILogger<RedisConversationCache> logger)
    {
        _connection = connection;
        _logger = logger;
        _onInvalidation = (_, message) => OnInvalidationReceived(message);
        _connection.BecameReachable += OnBecameReachable;

        // Subscribing starts with the cache, so that no invalidation is missed once it serves.
        Subscribed = SubscribeAsync();
    }

    /// <summary>Completes when the invalidation subscription is registered (for tests and warm-up).</summary>
    internal Task Subscribed { get; }

    /// <summary>The local copy read while Redis is unreachable.</summary>
    internal MemoryConversationCache Local => _local;

    public ValueTask<Guid?> GetOwnerAsync(Guid interactionId, CancellationToken cancellationToken) =>
        _connection.RunOrFallBackAsync(
            async database =>
            {
                var value = await database.StringGetAsync(RedisCacheKeys.Owner(interactionId)).WaitAsync(cancellationToken).ConfigureAwait(false);
                return value.HasValue && Guid.TryParse(value.ToString(), out var owner) ? owner : (Guid?)null;
            },
            () => _local.GetOwner(interactionId));

    public async ValueTask SetOwnerAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken)
    {
        _local.SetOwner(interactionId, userId);
        await TryWriteAsync(
            database => database.StringSetAsync(RedisCacheKeys.Owner(interactionId), userId.ToString("D"), OwnerTtl),
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<ChatTurn>?> GetHistoryAsync(Guid interactionId, CancellationToken cancellationToken) =>
        _connection.RunOrFallBackAsync(
            async database =>
            {
                byte[]? json = await database.StringGetAsync(RedisCacheKeys.History(interactionId)).WaitAsync(cancellationToken).ConfigureAwait(false);
                return json is null ? null : (IReadOnlyList<ChatTurn>?)Deserialize(json, ConversationCacheJson.Default.ChatTurnArray, interactionId);
            },
            () => _local.GetHistory(interactionId));

    public async ValueTask SetHistoryAsync(Guid interactionId, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        _local.SetHistory(interactionId, history);
        var json = JsonSerializer.SerializeToUtf8Bytes(history.ToArray(), ConversationCacheJson.Default.ChatTurnArray);
        await TryWriteAsync(
            database => database.StringSetAsync(RedisCacheKeys.History(interactionId), json, HistoryTtl),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask InvalidateInteractionAsync(Guid interactionId, CancellationToken cancellationToken)
    {
        _local.ForgetInteraction(interactionId);
        if (!await TryBroadcastInvalidationAsync(interactionId, cancellationToken).ConfigureAwait(false))
        {
            RememberPendingInvalidation(interactionId);
        }
    }

    public async ValueTask<CachedResponse?> GetResponseAsync(string promptKey, CancellationToken cancellationToken)
    {
        var promptHash = PromptKeyHash.Compute(promptKey);
        if (_local.GetResponseByHash(promptHash) is { } local)
        {
            return local;
        }

        var json = await _connection.RunOrFallBackAsync<byte[]?>(
            async database => await database.StringGetAsync(RedisCacheKeys.Response(promptHash)).WaitAsync(cancellationToken).ConfigureAwait(false),
            static () => null).ConfigureAwait(false);
        if (json is null || Deserialize(json, ConversationCacheJson.Default.CachedResponse, interactionId: null) is not { } response)
        {
            return null;
        }

        _local.SetResponseByHash(promptHash, response);
        return response;
    }

    public async ValueTask SetResponseAsync(string promptKey, CachedResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var promptHash = PromptKeyHash.Compute(promptKey);
        _local.SetResponseByHash(promptHash, response);
        var json = JsonSerializer.SerializeToUtf8Bytes(response, ConversationCacheJson.Default.CachedResponse);
        await TryWriteAsync(
            database => database.StringSetAsync(RedisCacheKeys.Response(promptHash), json, ResponseTtl),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _connection.BecameReachable -= OnBecameReachable;
        await _replay.ConfigureAwait(false);
        try
        {
            var subscriber = await _connection.GetSubscriberAsync().ConfigureAwait(false);
            await subscriber.UnsubscribeAsync(RedisCacheKeys.InvalidationChannel, _onInvalidation).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisConnection.IsUnavailable(exception))
        {
            // The server forgets the subscription with the connection anyway.
        }

        _local.Dispose();
    }

    // A write that cannot reach Redis is skipped: the local copy already holds it.
    private async Task TryWriteAsync(Func<IDatabase, Task> write, CancellationToken cancellationToken) =>
        await _connection.TryRunAsync(database => write(database).WaitAsync(cancellationToken)).ConfigureAwait(false);

    private ValueTask<bool> TryBroadcastInvalidationAsync(Guid interactionId, CancellationToken cancellationToken) =>
        _connection.TryRunAsync(database =>
        {
            // Both are sent on one connection, in order: whoever acts on the message can no
            // longer read the old entries.
            var delete = database.KeyDeleteAsync([RedisCacheKeys.Owner(interactionId), RedisCacheKeys.History(interactionId)]);
            var publish = database.PublishAsync(RedisCacheKeys.InvalidationChannel, interactionId.ToString("N"));
            return Task.WhenAll(delete, publish).WaitAsync(cancellationToken);
        });

    private void RememberPendingInvalidation(Guid interactionId)
    {
        if (_pendingInvalidations.Count < MaxPendingInvalidations)
        {
            _pendingInvalidations.TryAdd(interactionId, 0);
        }
        else
        {
            LogPendingInvalidationDropped(interactionId, MaxPendingInvalidations);
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var subscriber = await _connection.GetSubscriberAsync().ConfigureAwait(false);
            await subscriber.SubscribeAsync(RedisCacheKeys.InvalidationChannel, _onInvalidation).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisConnection.IsUnavailable(exception))
        {
            // The multiplexer keeps the handler and subscribes again once it reconnects.
            LogSubscribeDeferred(exception.GetType().Name);
        }
    }

    private void OnInvalidationReceived(RedisValue message)
    {
        if (Guid.TryParse(message.ToString(), out var interactionId))
        {
            _local.ForgetInteraction(interactionId);
        }
    }

    private void OnBecameReachable(object? sender, EventArgs e)
    {
        // Invalidations sent by other instances while we could not hear them are lost: the local
        // copies may be stale now, and they are not needed while Redis answers.
        _local.ForgetAllInteractions();
        // Owned by the cache: kept until the next replay or disposal, which awaits it.
        _replay = ReplayPendingInvalidationsAsync();
    }

    private async Task ReplayPendingInvalidationsAsync()
    {
        if (Interlocked.Exchange(ref _replaying, 1) == 1)
        {
            return;
        }

        try
        {
            var replayed = 0;
            foreach (var interactionId in _pendingInvalidations.Keys)
            {
                if (!await TryBroadcastInvalidationAsync(interactionId, CancellationToken.None).ConfigureAwait(false))
                {
                    break;
                }

                _pendingInvalidations.TryRemove(interactionId, out _);
                replayed++;
            }

            if (replayed > 0)
            {
                LogPendingInvalidationsReplayed(replayed);
            }
        }
        finally
        {
            Volatile.Write(ref _replaying, 0);
        }
    }

    private T? Deserialize<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, Guid? interactionId)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException)
        {
            // An entry we cannot read is a miss; its content is personal data and is not logged.
            LogUnreadableEntry(typeof(T).Name, interactionId, json.Length);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction cache invalidation for {InteractionId} was not kept for later: {Max} are already waiting for Redis")]
    private partial void LogPendingInvalidationDropped(Guid interactionId, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} interaction cache invalidations that waited for Redis")]
    private partial void LogPendingInvalidationsReplayed(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache invalidation subscription deferred until Redis is reachable ({ExceptionType})")]
    private partial void LogSubscribeDeferred(string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable {EntryType} entry in Redis (interaction {InteractionId}, {Bytes} bytes): treated as a miss")]
    private partial void LogUnreadableEntry(string entryType, Guid? interactionId, int bytes);
}
