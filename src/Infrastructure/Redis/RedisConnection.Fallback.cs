using StackExchange.Redis;

namespace StudyGuru.Infrastructure.Redis;

/// <summary>
/// The one decision "Redis or memory", used by every feature that keeps state in Redis (caches, limits,
/// generation buffers and signals): run the command when Redis can be used right now; when it cannot, or
/// the command fails, report the failure (which backs off and logs at most once a minute) and take the
/// caller's fallback. A Redis outage therefore never surfaces as an exception from these helpers unless the
/// caller's fallback throws one (a feature that has no memory answer, e.g. a stop request for a generation
/// owned elsewhere); a cancelled caller still sees its <see cref="OperationCanceledException"/>.
/// No feature asks <see cref="TryGetDatabase"/> or catches Redis failures itself.
/// </summary>
public sealed partial class RedisConnection
{
    /// <summary>How long <see cref="RunPersistentlyOrFallBackAsync{T}"/> waits between two tries.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether an exception means that Redis could not serve a command (and memory should).</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>
    /// <see cref="IsUnavailable"/>, or a command that the client library failed while tearing its connection down
    /// (after timeouts, e.g. while Redis is paused): that surfaces as an <see cref="InvalidOperationException"/>
    /// from the socket pipe. For callers that bound their own calls and must keep going (readers, presence).
    /// </summary>
    public static bool IsUnavailableOrTornDown(Exception exception) =>
        IsUnavailable(exception) || exception is InvalidOperationException;

    /// <summary>The choice of <paramref name="whenServing"/> while Redis can serve right now, else of <paramref name="fallback"/>.
    /// Never blocks and sends nothing.</summary>
    public T UseOrFallBack<T>(Func<IDatabase, T> whenServing, Func<T> fallback) =>
        TryGetDatabase() is { } database ? whenServing(database) : fallback();

    /// <summary>The answer of <paramref name="command"/> from Redis, or of <paramref name="fallback"/> while Redis cannot serve.</summary>
    /// <param name="unavailable">Which failures mean "Redis could not serve" when a caller knows more of them
    /// than <see cref="IsUnavailable"/> (by default, that).</param>
    public async ValueTask<T> RunOrFallBackAsync<T>(
        Func<IDatabase, Task<T>> command, Func<T> fallback, Func<Exception, bool>? unavailable = null)
    {
        unavailable ??= IsUnavailable;
        if (TryGetDatabase() is not { } database)
        {
            return fallback();
        }

        try
        {
            return await command(database).ConfigureAwait(false);
        }
        catch (Exception exception) when (unavailable(exception))
        {
            ReportFailure(exception);
            return fallback();
        }
    }

    /// <summary>
    /// Like <see cref="RunOrFallBackAsync{T}"/>, but rides out Redis trouble (a timeout, the skip window after one,
    /// a short outage) by trying again every 200 ms for up to <paramref name="persistence"/>; only then the fallback.
    /// Only for commands that may safely run twice (a first try may have landed although it timed out), such as
    /// appends that name their sequence.
    /// </summary>
    public async ValueTask<T> RunPersistentlyOrFallBackAsync<T>(
        Func<IDatabase, Task<T>> command, Func<T> fallback, TimeSpan persistence, Func<Exception, bool>? unavailable = null)
    {
        unavailable ??= IsUnavailable;
        var deadline = DateTime.UtcNow + persistence;
        while (true)
        {
            if (TryGetDatabase() is { } database)
            {
                try
                {
                    return await command(database).ConfigureAwait(false);
                }
                catch (Exception exception) when (unavailable(exception))
                {
                    ReportFailure(exception);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return fallback();
            }

            await Task.Delay(RetryDelay).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="command"/> when Redis can serve; false when it was skipped or failed
    /// (the caller keeps what it must send again, or lets the memory copy stand).</summary>
    /// <param name="unavailable">Which failures mean "Redis could not serve" when a caller knows more of them
    /// than <see cref="IsUnavailable"/> (by default, that).</param>
    public async ValueTask<bool> TryRunAsync(Func<IDatabase, Task> command, Func<Exception, bool>? unavailable = null) =>
        await RunOrFallBackAsync(
            async database =>
            {
                await command(database).ConfigureAwait(false);
                return true;
            },
            static () => false,
            unavailable).ConfigureAwait(false);

    /// <summary>
    /// The answer of <paramref name="command"/>, for a caller that has no memory answer and lets its own caller
    /// decide (e.g. the sweep of a generation whose buffer lives only in Redis): while Redis cannot serve, a
    /// <see cref="RedisConnectionException"/>; a failure is reported like any other, then passed on.
    /// </summary>
    public async ValueTask<T> RunOrThrowAsync<T>(Func<IDatabase, Task<T>> command)
    {
        var database = TryGetDatabase() ?? throw NotServing();
        try
        {
            return await command(database).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            ReportFailure(exception);
            throw;
        }
    }

    /// <summary>The exception of a command that was not sent because Redis cannot serve right now.</summary>
    public static RedisConnectionException NotServing() =>
        new(ConnectionFailureType.UnableToConnect, "Redis is not reachable right now.");
}
