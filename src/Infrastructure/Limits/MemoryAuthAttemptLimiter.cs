using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>
/// The per-client attempt windows of <see cref="AuthAttemptRules"/> in this process's memory: used without
/// Redis, and by <see cref="RedisAuthAttemptLimiter"/> while Redis is unusable.
/// </summary>
public sealed class MemoryAuthAttemptLimiter : IAuthAttemptLimiter
{
    private readonly AuthAttemptRules _rules;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AttemptWindow> _windows = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public MemoryAuthAttemptLimiter(IOptions<LimitsOptions> limits, TimeProvider time)
        : this(AuthAttemptRules.From(limits.Value), time)
    {
    }

    internal MemoryAuthAttemptLimiter(AuthAttemptRules rules, TimeProvider time)
    {
        _rules = rules;
        _time = time;
    }

    public ValueTask CountAttemptAsync(string clientKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CountAttempt(clientKey);
        return ValueTask.CompletedTask;
    }

    internal void CountAttempt(string clientKey)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            ForgetEndedWindows(now);
            if (!_windows.TryGetValue(clientKey, out var window) || window.EndsAt <= now)
            {
                window = new AttemptWindow(now + _rules.Window, 0);
            }

            if (window.Attempts >= _rules.MaxAttempts)
            {
                throw LimitRefusals.TooManyAuthAttempts(_rules.MaxAttempts, window.EndsAt - now);
            }

            _windows[clientKey] = window with { Attempts = window.Attempts + 1 };
        }
    }

    // Once a window, ended windows are dropped: memory follows the clients of the last few minutes.
    private void ForgetEndedWindows(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + _rules.Window;
        foreach (var (clientKey, window) in _windows)
        {
            if (window.EndsAt <= now) _windows.Remove(clientKey);
        }
    }

    private readonly record struct AttemptWindow(DateTimeOffset EndsAt, int Attempts);
}
