using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The per-user generation limits of <see cref="GenerationLimitRules"/> in this process's memory: used
/// without Redis, and by <see cref="RedisGenerationLimiter"/> while Redis is unusable. One lock guards
/// everything: each call holds it for microseconds, once per generation.
/// </summary>
public sealed class MemoryGenerationLimiter : IGenerationLimiter
{
    private readonly GenerationLimitRules _rules;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, UserGenerations> _users = [];
    private DateTimeOffset _nextIdleSweep = DateTimeOffset.MinValue;

    public MemoryGenerationLimiter(
        IOptions<LimitsOptions> limits, IOptions<PointsOptions> points, IOptions<StreamingOptions> streaming, TimeProvider time)
        : this(GenerationLimitRules.From(limits.Value, points.Value, streaming.Value), time)
    {
    }

    internal MemoryGenerationLimiter(GenerationLimitRules rules, TimeProvider time)
    {
        _rules = rules;
        _time = time;
    }

    public ValueTask AcquireAsync(Guid userId, Guid generationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Acquire(userId, generationId);
        return ValueTask.CompletedTask;
    }

    // Giving back never depends on the token: a caller that was cancelled must still free what it held.
    public ValueTask RefundAsync(Guid userId, Guid generationId, CancellationToken cancellationToken)
    {
        Return(userId, generationId, refund: true);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(Guid userId, Guid generationId, CancellationToken cancellationToken)
    {
        Return(userId, generationId, refund: false);
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes a slot and a unit, or throws RateLimitedException. Taking again for a generation that holds a slot is a no-op.</summary>
    internal void Acquire(Guid userId, Guid generationId)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            ForgetIdleUsers(now);
            if (!_users.TryGetValue(userId, out var user))
            {
                user = new UserGenerations();
                _users[userId] = user;
            }

            user.ForgetExpired(now);
            if (user.RunningUntil.ContainsKey(generationId))
            {
                return;
            }

            if (user.RunningUntil.Count >= _rules.MaxRunning)
            {
                throw LimitRefusals.TooManyRunning(_rules.MaxRunning);
            }

            if (user.StartedAt.Count >= _rules.PerMinute)
            {
                var oldest = user.StartedAt.Values.Min();
                throw LimitRefusals.TooManyPerMinute(_rules.PerMinute, oldest + GenerationLimitRules.Window - now);
            }

            user.RunningUntil[generationId] = now + _rules.SlotLifetime;
            user.StartedAt[generationId] = now;
        }
    }

    internal void Return(Guid userId, Guid generationId, bool refund)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                return;
            }

            user.RunningUntil.Remove(generationId);
            if (refund)
            {
                user.StartedAt.Remove(generationId);
            }
        }
    }

    // Users who neither run anything nor started anything within the window are dropped, once a
    // window, so that memory follows the active users rather than every user ever seen.
    private void ForgetIdleUsers(DateTimeOffset now)
    {
        if (now < _nextIdleSweep)
        {
            return;
        }

        _nextIdleSweep = now + GenerationLimitRules.Window;
        foreach (var (userId, user) in _users)
        {
            user.ForgetExpired(now);
            if (user.RunningUntil.Count == 0 && user.StartedAt.Count == 0)
            {
                _users.Remove(userId);
            }
        }
    }

    private sealed class UserGenerations
    {
        /// <summary>Generation id → when its slot expires if it is never released.</summary>
        public Dictionary<Guid, DateTimeOffset> RunningUntil { get; } = [];

        /// <summary>Generation id → when it started, for starts within the last window.</summary>
        public Dictionary<Guid, DateTimeOffset> StartedAt { get; } = [];

        public void ForgetExpired(DateTimeOffset now)
        {
            foreach (var (id, until) in RunningUntil)
            {
                if (until <= now) RunningUntil.Remove(id);
            }

            var windowStart = now - GenerationLimitRules.Window;
            foreach (var (id, at) in StartedAt)
            {
                if (at <= windowStart) StartedAt.Remove(id);
            }
        }
    }
}
