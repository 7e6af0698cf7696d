using StackExchange.Redis;

namespace StudyGuru.Infrastructure.Redis;

/// <summary>
/// The one decision "Redis or memory", used by every feature that keeps state in Redis (caches, limits,
/// generation buffers and signals): run the command when Redis can be used right now; when it cannot, or
/// the command fails, report the failure (which backs off and logs at most once a minute) and take the
/// caller's memory fallback. A Redis outage therefore never surfaces as an exception from these helpers;
/// a cancelled caller still sees its <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class RedisConnection
{
    /// <summary>Whether an exception means that Redis could not serve a command (and memory should).</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>The answer of <paramref name="command"/> from Redis, or of <paramref name="fallback"/> while Redis cannot serve.</summary>
    public async ValueTask<T> RunOrFallBackAsync<T>(Func<IDatabase, Task<T>> command, Func<T> fallback)
    {
        if (TryGetDatabase() is not { } database)
        {
            return fallback();
        }

        try
        {
            return await command(database).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            ReportFailure(exception);
            return fallback();
        }
    }

    /// <summary>Runs <paramref name="command"/> when Redis can serve; false when it was skipped or failed
    /// (the caller keeps what it must send again, or lets the memory copy stand).</summary>
    /// <param name="unavailable">Which failures mean "Redis could not serve" when a caller knows more of them
    /// than <see cref="IsUnavailable"/> (by default, that).</param>
    public async ValueTask<bool> TryRunAsync(Func<IDatabase, Task> command, Func<Exception, bool>? unavailable = null)
    {
        unavailable ??= IsUnavailable;
        if (TryGetDatabase() is not { } database)
        {
            return false;
        }

        try
        {
            await command(database).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (unavailable(exception))
        {
            ReportFailure(exception);
            return false;
        }
    }
}
