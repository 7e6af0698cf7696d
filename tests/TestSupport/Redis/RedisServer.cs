using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StudyGuru.TestSupport.Redis;

/// <summary>
/// A real <c>redis-server</c> for tests, on 127.0.0.1 and a free port, without persistence. The
/// process is started in the foreground so that this object owns it: <see cref="Stop"/> and
/// <see cref="Restart"/> simulate an outage on the same port, and disposal ends it. If
/// <c>redis-server</c> is not installed, <see cref="StartAsync"/> fails with a message saying how
/// to install it (tests that need Redis must not pass without it).
/// </summary>
/// <example>
/// <code>
/// await using var redis = await RedisServer.StartAsync();
/// var configuration = redis.Configuration; // "127.0.0.1:PORT"
/// </code>
/// </example>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>Overrides the executable (default: <c>redis-server</c> on the PATH).</summary>
    public const string ExecutableVariable = "REDIS_SERVER_PATH";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _executable;
    private readonly Lock _outputLock = new();
    private readonly Queue<string> _recentOutput = new();
    private Process? _process;

    private RedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1, kept across <see cref="Restart"/>.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>True while the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured
            ? configured
            : "redis-server";
        var server = new RedisServer(executable, LocalServers.FreeLoopbackPort());
        try
        {
            await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the server at once, as a crash would; its data is lost (nothing is persisted).</summary>
    public void Stop()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(StopTimeout);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Suspends the process (SIGSTOP) without closing its sockets, as a network partition looks
    /// to a client: connections stay open and commands get no answer. Undo with <see cref="Thaw"/>.
    /// </summary>
    public void Freeze() => Signal("STOP");

    /// <summary>Resumes a frozen server (SIGCONT); its data is intact.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>Starts the server again on the same port (stopping it first if it runs).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends PING on a fresh connection; true when the server answers PONG in time.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, timeoutSource.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), timeoutSource.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeoutSource.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException("redis-server is not running.");
        }

        // The kill command rather than P/Invoke keeps this project free of unsafe code.
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { $"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Cannot run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with code {kill.ExitCode}.");
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", string.Empty,
                     "--appendonly", "no",
                     "--daemonize", "no",
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => RememberOutput(e.Data);
        process.ErrorDataReceived += (_, e) => RememberOutput(e.Data);
        LocalServers.StartRequired(process, "a real Redis server", "redis-server", ExecutableVariable);

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"redis-server exited with code {process.ExitCode} before answering on port {Port}. Its output:{Environment.NewLine}{RecentOutput()}");
            }

            if (await PingAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        Stop();
        throw new TimeoutException(
            $"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s. Its output:{Environment.NewLine}{RecentOutput()}");
    }

    private void RememberOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _recentOutput.Enqueue(line);
            while (_recentOutput.Count > 50)
            {
                _recentOutput.Dequeue();
            }
        }
    }

    private string RecentOutput()
    {
        lock (_outputLock)
        {
            return string.Join(Environment.NewLine, _recentOutput);
        }
    }
}
