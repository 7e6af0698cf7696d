using System.Diagnostics;
using System.Net;
using System.Text;
using StudyGuru.TestSupport;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>
/// The built API as a child process on a real loopback port (Kestrel, not TestServer), for clients that must
/// talk real HTTP: a browser and the docs' examples. Own temp SQLite file; the offline model slowed down so
/// that a stream visibly streams.
/// </summary>
public sealed class LiveApiServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private LiveApiServer(Process process, string baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    /// <summary>The server's process id (e.g. to read its resident memory).</summary>
    public int ProcessId => _process.Id;

    public int Port { get; private init; }

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <param name="port">The API port; a free one when null (a restarted instance keeps its port).</param>
    /// <param name="environment">Development by default; Production serves /metrics only on <c>Metrics:Port</c>.</param>
    public static async Task<LiveApiServer> StartAsync(int tokenDelayMs = 60, IDictionary<string, string?>? settings = null,
        int? port = null, string environment = "Development")
    {
        var dll = WebApiAssemblyPath();
        var apiPort = port ?? FreePort();
        var data = Path.Combine(Path.GetTempPath(), "studyguru-live", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{apiPort}", "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "WebApi") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["ConnectionStrings__StudyGuru"] = $"Data Source={Path.Combine(data, "studyguru.db")};Default Timeout=30",
                ["Media__Root"] = Path.Combine(data, "media"),
                ["Jwt__SigningKey"] = TestTokens.SigningKey,
                ["Ai__Offline__TokenDelayMs"] = tokenDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Many sign-ups from one loopback address in a test run.
                ["Limits__AuthAttemptsPer5Minutes"] = "1000",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new LiveApiServer(process, $"http://127.0.0.1:{apiPort}", data) { Port = apiPort };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash would: nothing is drained or settled.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGKILL now, without waiting (for a kill at an exact moment, such as right after an event arrived).</summary>
    public void KillNow() => _process.Kill(entireProcessTree: true);

    /// <summary>Asks for a graceful stop (SIGTERM), as an orchestrator would.</summary>
    public void RequestStop()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool HasExited => _process.HasExited;

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/api/stream/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API did not become healthy within 60 s:\n{Output}");
    }

    /// <summary>The WebApi build that sits beside this test build (same configuration).</summary>
    internal static string WebApiAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(RepositoryPaths.Root, "src", "WebApi", "bin", configuration, framework, "StudyGuru.WebApi.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the API first: {dll} is missing.", dll);
    }

    public static int FreePort() => LocalServers.FreeLoopbackPort();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the temp folder is cleaned by the OS.
        }
    }
}
