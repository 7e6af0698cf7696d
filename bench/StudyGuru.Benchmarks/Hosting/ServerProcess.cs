using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StudyGuru.Benchmarks.Hosting;

/// <summary>
/// A server under test, run as a child process (<c>dotnet &lt;dll&gt;</c>) on a free loopback port, with its
/// output in a log file (a pipe that nobody drains would stall it) and the file descriptor limit the
/// benchmark allows each process. Killed when disposed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The per-process file descriptor budget of the concurrency scenario.</summary>
    public const int FileDescriptorLimit = 20_000;

    private readonly Process _process;

    private ServerProcess(string name, Process process, Uri baseAddress, string logFile)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public string LogFile { get; }
    public int Pid => _process.Id;

    public ProcessSample Sample() => ProcessSample.Read(Pid);

    public static async Task<ServerProcess> StartAsync(
        string name, string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logFile, string readyPath, int port, TimeSpan startTimeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        // exec keeps the pid: the pid we hold is the server's, for /proc and for kill.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {FileDescriptorLimit} && exec \"$BENCH_DOTNET\" \"$@\" >\"$BENCH_LOG\" 2>&1");
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["BENCH_DOTNET"] = DotnetHost();
        start.Environment["BENCH_LOG"] = logFile;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var server = new ServerProcess(name, process, new Uri($"http://127.0.0.1:{port}"), logFile);
        try
        {
            await server.WaitUntilReadyAsync(readyPath, startTimeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A port nobody listens on now (the server binds it a moment later; loopback only).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync(string readyPath, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during start-up:\n{LogTail()}");
            try
            {
                using var response = await http.GetAsync(readyPath);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s:\n{LogTail()}");
    }

    public string LogTail(int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The dotnet host that runs this program (set by the SDK under <c>dotnet run</c>), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
