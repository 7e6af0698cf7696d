using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace StudyGuru.Infrastructure.Redis;

/// <summary>
/// The one Redis connection of an instance, shared by every feature that needs Redis (caches,
/// stream buffers, rate-limit counters, cancel signals). Redis is optional at run time: the
/// connection is made in the background, never stops the app from starting, reconnects by
/// itself, and callers on the hot path ask <see cref="TryGetDatabase"/> instead of waiting.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable, IDisposable
{
    /// <summary>How long a single command may take before it counts as a failure.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    // After a timeout the server is presumed unreachable (a partition is detected by the
    // multiplexer only after a few heartbeats); skipping Redis meanwhile keeps the hot path fast.
    private static readonly TimeSpan BackOffAfterTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly ConfigurationOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    private readonly Lock _stateLock = new();
    private bool? _reachable;
    private long _backOffUntil;
    private long _lastFailureLog = long.MinValue;
    private int _suppressedFailures;
    private bool _disposed;
    private ConnectionMultiplexer? _created;
    private readonly List<Action<IConnectionMultiplexer>> _whenConnected = [];

    public RedisConnection(string configuration, ILogger<RedisConnection> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        _options = CreateOptions(configuration);
        _logger = logger;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(ConnectCoreAsync);
    }

    /// <summary>
    /// Raised each time Redis becomes reachable: after the first successful connect and after
    /// every outage. Whatever was missed meanwhile (pub/sub messages) must be assumed lost.
    /// </summary>
    public event EventHandler? BecameReachable;

    /// <summary>
    /// Runs <paramref name="callback"/> with the multiplexer once it exists (at once if it already does), e.g. to
    /// attach tracing. It is never created just for this: the first caller that needs Redis creates it.
    /// </summary>
    public void WhenConnected(Action<IConnectionMultiplexer> callback)
    {
        lock (_stateLock)
        {
            if (_created is null)
            {
                _whenConnected.Add(callback);
                return;
            }
        }
        callback(_created);
    }

    /// <summary>True when the connection is established and commands are expected to succeed.</summary>
    public bool IsConnected => TryGetMultiplexer() is { IsConnected: true };

    /// <summary>
    /// Starts connecting if nobody has yet, and completes when the first attempt has finished,
    /// whether Redis answered or not (the multiplexer keeps retrying in the background).
    /// </summary>
    public Task<IConnectionMultiplexer> ConnectAsync() =>
        _multiplexer.Value.ContinueWith(
            static task => (IConnectionMultiplexer)task.Result,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>
    /// The database when Redis can be used right now, else null (and a connection attempt is
    /// started if none was). Never blocks.
    /// </summary>
    public IDatabase? TryGetDatabase()
    {
        var multiplexer = TryGetMultiplexer();
        if (multiplexer is not { IsConnected: true } || Stopwatch.GetTimestamp() < Volatile.Read(ref _backOffUntil))
        {
            return null;
        }

        return multiplexer.GetDatabase();
    }

    /// <summary>The subscriber, once the first connection attempt has finished.</summary>
    public async Task<ISubscriber> GetSubscriberAsync()
    {
        var multiplexer = await ConnectAsync().ConfigureAwait(false);
        return multiplexer.GetSubscriber();
    }

    /// <summary>
    /// Readiness probe: the round-trip time of a PING, or null when Redis does not answer within
    /// <paramref name="timeout"/>. Never throws.
    /// </summary>
    public async Task<TimeSpan?> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var multiplexer = await ConnectAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (!multiplexer.IsConnected)
            {
                return null;
            }

            return await multiplexer.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        // InvalidOperationException: the client library tore the connection down under the PING (its socket pipe).
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Tells the connection that a command failed. Timeouts make <see cref="TryGetDatabase"/>
    /// skip Redis for a few seconds; failures are logged at most once a minute, so that an
    /// outage does not write a line per request.
    /// </summary>
    public void ReportFailure(Exception exception)
    {
        if (exception is RedisTimeoutException or TimeoutException)
        {
            Volatile.Write(ref _backOffUntil, Stopwatch.GetTimestamp() + (long)(BackOffAfterTimeout.TotalSeconds * Stopwatch.Frequency));
        }

        int suppressed;
        lock (_stateLock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastFailureLog != long.MinValue && Stopwatch.GetElapsedTime(_lastFailureLog, now) < FailureLogInterval)
            {
                _suppressedFailures++;
                return;
            }

            _lastFailureLog = now;
            suppressed = _suppressedFailures;
            _suppressedFailures = 0;
        }

        _logger.LogWarning(
            "Redis command failed ({ExceptionType}: {Reason}); {SuppressedFailures} similar failures were not logged",
            exception.GetType().Name,
            exception.Message,
            suppressed);
    }

    public void Dispose()
    {
        if (_disposed || !_multiplexer.IsValueCreated)
        {
            _disposed = true;
            return;
        }

        _disposed = true;

        // A connect still in progress is disposed when it ends, so that no socket outlives us.
        _multiplexer.Value.ContinueWith(
            static task => task.Result.Dispose(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed || !_multiplexer.IsValueCreated)
        {
            _disposed = true;
            return;
        }

        _disposed = true;
        try
        {
            var multiplexer = await _multiplexer.Value.ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // The connection never came up: nothing is left to close.
        }
    }

    private static ConfigurationOptions CreateOptions(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);

        // The app must start and serve while Redis is down: never fail the first connect, and fail
        // commands at once while disconnected instead of queueing them until they time out.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Every caller has a fallback, so a slow Redis must cost little on the hot path.
        var timeoutMs = (int)OperationTimeout.TotalMilliseconds;
        options.SyncTimeout = timeoutMs;
        options.AsyncTimeout = timeoutMs;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2_000);
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 5_000);
        options.ClientName ??= "studyguru";
        return options;
    }

    private ConnectionMultiplexer? TryGetMultiplexer()
    {
        if (_disposed)
        {
            return null;
        }

        var connecting = _multiplexer.Value;
        return connecting.IsCompletedSuccessfully ? connecting.Result : null;
    }

    private async Task<ConnectionMultiplexer> ConnectCoreAsync()
    {
        // Yield first so that Lazy's factory returns at once and the caller on the hot path never waits.
        await Task.Yield();
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_options).ConfigureAwait(false);
        multiplexer.ConnectionFailed += (_, _) => OnStateMaybeChanged(multiplexer);
        multiplexer.ConnectionRestored += (_, _) => OnStateMaybeChanged(multiplexer);
        Action<IConnectionMultiplexer>[] callbacks;
        lock (_stateLock)
        {
            _created = multiplexer;
            callbacks = [.. _whenConnected];
            _whenConnected.Clear();
        }
        foreach (var callback in callbacks) callback(multiplexer);
        OnStateMaybeChanged(multiplexer);
        return multiplexer;
    }

    private void OnStateMaybeChanged(ConnectionMultiplexer multiplexer)
    {
        bool reachable;
        lock (_stateLock)
        {
            reachable = multiplexer.IsConnected;
            if (reachable == _reachable)
            {
                return;
            }

            _reachable = reachable;
        }

        if (reachable)
        {
            Volatile.Write(ref _backOffUntil, 0);
            _logger.LogInformation("Redis is reachable at {Endpoints}", string.Join(",", _options.EndPoints));
            BecameReachable?.Invoke(this, EventArgs.Empty);
        }
        else
        {
            _logger.LogWarning(
                "Redis is unreachable at {Endpoints}; each instance uses its own memory until it is back",
                string.Join(",", _options.EndPoints));
        }
    }
}
