namespace StudyGuru.Infrastructure.Streaming;

/// <summary>Lua scripts that keep a generation's shared buffer consistent whoever writes to it.</summary>
internal static class RedisGenerationScripts
{
    /// <summary>
    /// Appends one event with the next sequence as its stream id, refuses anything after the terminal
    /// event (one terminal event, even when an owner and a sweep race), and announces it.
    /// KEYS: meta, events. ARGV: stored event, is terminal (1/0), seconds to keep after the end, channel,
    /// the sequence the writer expects (0: whatever comes next). With an expected sequence the append is
    /// idempotent, so a writer may retry after a timeout without appending twice.
    /// Returns the sequence, -1 after a terminal event, -2 when the buffer does not exist, -3 on a gap.
    /// </summary>
    public const string Append = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
        local expected = tonumber(ARGV[5])
        local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
        if expected > 0 and last >= expected then return expected end
        if expected > 0 and last ~= expected - 1 then return -3 end
        if redis.call('HEXISTS', KEYS[1], 'terminal') == 1 then return -1 end
        local seq = redis.call('HINCRBY', KEYS[1], 'last', 1)
        redis.call('XADD', KEYS[2], seq .. '-0', 'e', ARGV[1])
        if ARGV[2] == '1' then
          redis.call('HSET', KEYS[1], 'terminal', seq)
          redis.call('EXPIRE', KEYS[1], ARGV[3])
          redis.call('EXPIRE', KEYS[2], ARGV[3])
        end
        redis.call('PUBLISH', ARGV[4], seq)
        return seq
        """;

    /// <summary>
    /// Appends a run of events whose sequences start at a given one, in one round trip: the owner's copy
    /// of its buffer. Idempotent like <see cref="Append"/>: events already in are skipped, so a retry after
    /// a timeout appends only what is missing.
    /// KEYS: meta, events. ARGV: seconds to keep after the end, channel, first sequence, then per event
    /// its stored form and whether it is terminal (1/0).
    /// Returns the last sequence in, -1 after a terminal event, -2 when the buffer does not exist, -3 on a gap.
    /// </summary>
    public const string AppendRun = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
        local first = tonumber(ARGV[3])
        local count = (#ARGV - 3) / 2
        local final = first + count - 1
        local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
        if last >= final then return final end
        if last < first - 1 then return -3 end
        if redis.call('HEXISTS', KEYS[1], 'terminal') == 1 then return -1 end
        for i = last - first + 1, count - 1 do
          local seq = first + i
          redis.call('XADD', KEYS[2], seq .. '-0', 'e', ARGV[4 + 2 * i])
          if ARGV[5 + 2 * i] == '1' then
            redis.call('HSET', KEYS[1], 'terminal', seq)
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[1])
          end
        end
        redis.call('HSET', KEYS[1], 'last', final)
        redis.call('PUBLISH', ARGV[2], final)
        return final
        """;
}
