namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The Lua scripts that make each limit check-and-take atomic across instances. Time is passed in by
/// the caller (milliseconds since the epoch) for the generation limits, so that the memory fallback and
/// Redis count the same way; the instances' clocks are assumed to be synchronised (NTP), and a skew of
/// a second moves a window by a second.
/// </summary>
internal static class RedisLimitScripts
{
    /// <summary>Results of <see cref="AcquireGeneration"/>: the first element of the reply.</summary>
    public const long Acquired = 0;
    public const long RefusedRunning = 1;
    public const long RefusedPerMinute = 2;

    /// <summary>
    /// KEYS: running (sorted set: generation → expiry ms), started (sorted set: generation → start ms).
    /// ARGV: now ms, generation, slot lifetime ms, max running, window ms, max starts per window.
    /// Reply: {Acquired} | {RefusedRunning} | {RefusedPerMinute, ms until the oldest start leaves the window}.
    /// </summary>
    public const string AcquireGeneration = """
        local now = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
          return {0}
        end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
          return {1}
        end
        local window = tonumber(ARGV[5])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          return {2, tonumber(oldest[2]) + window - now}
        end
        local lifetime = tonumber(ARGV[3])
        redis.call('ZADD', KEYS[1], now + lifetime, ARGV[2])
        redis.call('PEXPIRE', KEYS[1], lifetime)
        redis.call('ZADD', KEYS[2], now, ARGV[2])
        redis.call('PEXPIRE', KEYS[2], window)
        return {0}
        """;

    /// <summary>KEYS: running, started. ARGV: generation. Gives back the slot and the start.</summary>
    public const string RefundGeneration = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 0
        """;

    /// <summary>
    /// A fixed window that starts at the client's first attempt; the key's own expiry (Redis's clock)
    /// ends it. KEYS: counter. ARGV: max attempts, window ms.
    /// Reply: {1 (counted) or 0 (refused), attempts in the window, ms until the window ends}.
    /// </summary>
    public const string CountAuthAttempt = """
        local limit = tonumber(ARGV[1])
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        local counted = 0
        if used < limit then
          used = redis.call('INCR', KEYS[1])
          counted = 1
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          ttl = tonumber(ARGV[2])
        end
        return {counted, used, ttl}
        """;
}
