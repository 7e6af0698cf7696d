using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The per-client attempt windows of <see cref="AuthAttemptRules"/> in Redis, shared by every instance: one
/// counter per client whose expiry ends its window. While Redis is unusable each instance counts in its own
/// memory; it never throws anything but RateLimitedException or a cancellation.
/// </summary>
public sealed class RedisAuthAttemptLimiter : IAuthAttemptLimiter
{
    private readonly RedisConnection _connection;
    private readonly AuthAttemptRules _rules;
    private readonly MemoryAuthAttemptLimiter _fallback;

    public RedisAuthAttemptLimiter(RedisConnection connection, IOptions<LimitsOptions> limits, TimeProvider time)
        : this(connection, AuthAttemptRules.From(limits.Value), time)
    {
    }

    internal RedisAuthAttemptLimiter(RedisConnection connection, AuthAttemptRules rules, TimeProvider time)
    {
        _connection = connection;
        _rules = rules;
        _fallback = new MemoryAuthAttemptLimiter(rules, time);
    }

    public async ValueTask CountAttemptAsync(string clientKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var values = await _connection.RunOrFallBackAsync<long[]?>(
            async database => (long[]?)await database.ScriptEvaluateAsync(
                RedisLimitScripts.CountAuthAttempt,
                [RedisLimitKeys.AuthAttempts(clientKey)],
                [_rules.MaxAttempts, (long)_rules.Window.TotalMilliseconds]).WaitAsync(cancellationToken).ConfigureAwait(false),
            static () => null).ConfigureAwait(false);
        if (values is null)
        {
            _fallback.CountAttempt(clientKey);
            return;
        }

        if (values[0] == 0)
        {
            throw LimitRefusals.TooManyAuthAttempts(_rules.MaxAttempts, TimeSpan.FromMilliseconds(values[2]));
        }
    }
}
