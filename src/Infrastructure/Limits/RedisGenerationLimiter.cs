using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The per-user generation limits of <see cref="GenerationLimitRules"/> in Redis, shared by every instance:
/// each user has a sorted set of running generations (score: when the slot expires if never released) and
/// a sorted set of recent starts (score: start time), checked and taken by one Lua script.
/// While Redis is unusable, <see cref="AcquireAsync"/> counts in this instance's memory instead (the
/// limits then hold per instance); it never throws anything but RateLimitedException or a cancellation.
/// Releases and refunds go to both stores; one that cannot reach Redis is kept and sent again by the
/// next call that finds Redis usable, so that an outage does not leave slots held until they expire.
/// </summary>
public sealed class RedisGenerationLimiter : IGenerationLimiter
{
    // Past this many, undelivered returns are dropped and the slots' expiry frees them instead.
    private const int MaxPendingReturns = 10_000;

    private readonly RedisConnection _connection;
    private readonly GenerationLimitRules _rules;
    private readonly TimeProvider _time;
    private readonly MemoryGenerationLimiter _fallback;

    // (user, generation) → true for a refund (slot and start), false for a release (slot only).
    private readonly ConcurrentDictionary<(Guid UserId, Guid GenerationId), bool> _pendingReturns = new();
    private int _sendingPending;

    public RedisGenerationLimiter(
        RedisConnection connection,
        IOptions<LimitsOptions> limits,
        IOptions<PointsOptions> points,
        IOptions<StreamingOptions> streaming,
        TimeProvider time)
        : this(connection, GenerationLimitRules.From(limits.Value, points.Value, streaming.Value), time)
    {
    }

    internal RedisGenerationLimiter(RedisConnection connection, GenerationLimitRules rules, TimeProvider time)
    {
        _connection = connection;
        _rules = rules;
        _time = time;
        _fallback = new MemoryGenerationLimiter(rules, time);
    }

    /// <summary>Returns that could not reach Redis yet (for tests).</summary>
    internal int PendingReturns => _pendingReturns.Count;

    public async ValueTask AcquireAsync(Guid userId, Guid generationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await SendPendingReturnsAsync().ConfigureAwait(false);

        // Not abandoned when the token fires: once sent the script runs, and a slot taken without the
        // caller knowing would stay held until it expires. The operation timeout bounds the wait.
        var values = await _connection.RunOrFallBackAsync<long[]?>(
            async database => (long[]?)await database.ScriptEvaluateAsync(
                RedisLimitScripts.AcquireGeneration,
                [RedisLimitKeys.Running(userId), RedisLimitKeys.Started(userId)],
                [
                    _time.GetUtcNow().ToUnixTimeMilliseconds(),
                    generationId.ToString("N"),
                    (long)_rules.SlotLifetime.TotalMilliseconds,
                    _rules.MaxRunning,
                    (long)GenerationLimitRules.Window.TotalMilliseconds,
                    _rules.PerMinute,
                ]).ConfigureAwait(false),
            static () => null).ConfigureAwait(false);
        if (values is null)
        {
            // Redis could not serve. The script may have run before a failure; the generation's release
            // removes it from Redis too.
            _fallback.Acquire(userId, generationId);
            return;
        }

        switch (values[0])
        {
            case RedisLimitScripts.RefusedRunning:
                throw LimitRefusals.TooManyRunning(_rules.MaxRunning);
            case RedisLimitScripts.RefusedPerMinute:
                throw LimitRefusals.TooManyPerMinute(_rules.PerMinute, TimeSpan.FromMilliseconds(values[1]));
        }
    }

    public ValueTask RefundAsync(Guid userId, Guid generationId, CancellationToken cancellationToken) =>
        ReturnAsync(userId, generationId, refund: true);

    public ValueTask ReleaseAsync(Guid userId, Guid generationId, CancellationToken cancellationToken) =>
        ReturnAsync(userId, generationId, refund: false);

    // The token is not used: a cancelled caller must still give back what it held, and each Redis call
    // is bounded by the connection's operation timeout.
    private async ValueTask ReturnAsync(Guid userId, Guid generationId, bool refund)
    {
        // The generation may have been counted in memory during an outage; removing an absent one is a no-op.
        _fallback.Return(userId, generationId, refund);
        await SendPendingReturnsAsync().ConfigureAwait(false);
        if (!await TrySendReturnAsync(userId, generationId, refund).ConfigureAwait(false))
        {
            RememberPending(userId, generationId, refund);
        }
    }

    private ValueTask<bool> TrySendReturnAsync(Guid userId, Guid generationId, bool refund) =>
        _connection.TryRunAsync(database => refund
            ? database.ScriptEvaluateAsync(
                RedisLimitScripts.RefundGeneration,
                [RedisLimitKeys.Running(userId), RedisLimitKeys.Started(userId)],
                [generationId.ToString("N")])
            : database.SortedSetRemoveAsync(RedisLimitKeys.Running(userId), generationId.ToString("N")));

    private void RememberPending(Guid userId, Guid generationId, bool refund)
    {
        if (_pendingReturns.Count >= MaxPendingReturns)
        {
            return;
        }

        // A refund also covers a release of the same generation.
        _pendingReturns.AddOrUpdate((userId, generationId), refund, (_, earlier) => earlier || refund);
    }

    private async Task SendPendingReturnsAsync()
    {
        if (_pendingReturns.IsEmpty || Interlocked.Exchange(ref _sendingPending, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var ((userId, generationId), refund) in _pendingReturns)
            {
                if (!await TrySendReturnAsync(userId, generationId, refund).ConfigureAwait(false))
                {
                    return;
                }

                _pendingReturns.TryRemove(new KeyValuePair<(Guid, Guid), bool>((userId, generationId), refund));
            }
        }
        finally
        {
            Volatile.Write(ref _sendingPending, 0);
        }
    }
}
