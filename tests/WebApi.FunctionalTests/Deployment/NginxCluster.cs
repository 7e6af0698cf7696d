using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StudyGuru.TestSupport.Nginx;
using StudyGuru.TestSupport.Redis;
using StudyGuru.WebApi.FunctionalTests.Contract;

namespace StudyGuru.WebApi.FunctionalTests.Deployment;

/// <summary>
/// What an operator runs: the shipped nginx config in front of two API processes (Production, offline model)
/// that share one SQLite file and one Redis, each with /metrics on a management port of its own. Instances can be
/// crashed (SIGKILL) or stopped gracefully (SIGTERM) and started again on the same ports.
/// </summary>
public sealed class NginxCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly int _tokenDelayMs;
    private readonly int[] _ports;
    private readonly int[] _metricsPorts;
    private readonly string _dataDirectory;

    /// <summary>What every instance that has stopped printed, in order: a failure after a restart is often explained by
    /// the instance that is gone.</summary>
    private readonly List<string> _stoppedOutputs = [];

    private NginxCluster(RedisServer redis, Dictionary<string, string?> settings, int tokenDelayMs, string dataDirectory)
    {
        Redis = redis;
        _settings = settings;
        _tokenDelayMs = tokenDelayMs;
        _dataDirectory = dataDirectory;
        _ports = [LiveApiServer.FreePort(), LiveApiServer.FreePort()];
        _metricsPorts = [LiveApiServer.FreePort(), LiveApiServer.FreePort()];
    }

    public RedisServer Redis { get; }
    public LiveApiServer?[] Instances { get; } = new LiveApiServer?[2];
    public NginxServer Nginx { get; private set; } = null!;

    public static string ShippedConfig => Path.Combine(RepositoryPaths.Root, "deploy", "nginx", "studyguru.conf");

    public static async Task<NginxCluster> StartAsync(int tokenDelayMs, IDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string>? nginxDirectives = null)
    {
        var redis = await RedisServer.StartAsync();
        var data = Path.Combine(Path.GetTempPath(), "studyguru-nginx-cluster", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var shared = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["ConnectionStrings:StudyGuru"] = $"Data Source={Path.Combine(data, "studyguru.db")};Default Timeout=30",
            ["Media:Root"] = Path.Combine(data, "media"),
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Streaming:DrainSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) shared[key] = value;
        var cluster = new NginxCluster(redis, shared, tokenDelayMs, data);
        try
        {
            // One after the other: the first applies the migrations to the shared file.
            await cluster.StartInstanceAsync(0);
            await cluster.StartInstanceAsync(1);
            cluster.Nginx = await NginxServer.StartAsync(ShippedConfig,
                cluster._ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}").ToList(), nginxDirectives);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartInstanceAsync(int index)
    {
        var settings = new Dictionary<string, string?>(_settings) { ["Metrics:Port"] = _metricsPorts[index].ToString(CultureInfo.InvariantCulture) };
        Instances[index] = await LiveApiServer.StartAsync(_tokenDelayMs, settings, _ports[index], "Production");
    }

    /// <summary>
    /// Waits until nginx sends requests to the instance again: after refused connections nginx keeps an instance out
    /// for its fail_timeout, and stopping the other instance meanwhile would leave no live upstream (502).
    /// </summary>
    public async Task WaitUntilServedThroughNginxAsync(int index)
    {
        var upstream = $"upstream=127.0.0.1:{_ports[index].ToString(CultureInfo.InvariantCulture)} upstream_status=200";
        using var http = CreateClient(timeout: TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var before = Nginx.AccessLog.Split('\n').Count(l => l.Contains(upstream, StringComparison.Ordinal));
            for (var i = 0; i < 4; i++)
            {
                try
                {
                    using var _ = await http.GetAsync("/api/stream/health");
                }
                catch (HttpRequestException)
                {
                    // Counted by nginx; try again.
                }
            }
            if (Nginx.AccessLog.Split('\n').Count(l => l.Contains(upstream, StringComparison.Ordinal)) > before) return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"nginx did not route to instance {index} within 30 s.\n{Diagnostics()}");
    }

    /// <summary>SIGKILL: nothing is drained or settled.</summary>
    public async Task CrashAsync(int index)
    {
        var instance = Instances[index] ?? throw new InvalidOperationException($"Instance {index} is not running.");
        await instance.CrashAsync();
        await RetireAsync(index, instance, "crashed");
    }

    /// <summary>SIGTERM, then waits for the process to end (it drains first).</summary>
    public async Task StopGracefullyAsync(int index)
    {
        var instance = Instances[index] ?? throw new InvalidOperationException($"Instance {index} is not running.");
        instance.RequestStop();
        await instance.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await RetireAsync(index, instance, "stopped");
    }

    private async Task RetireAsync(int index, LiveApiServer instance, string how)
    {
        await instance.DisposeAsync();
        lock (_stoppedOutputs) _stoppedOutputs.Add($"instance {index} ({how}):\n{instance.Output}");
        Instances[index] = null;
    }

    /// <summary>An HTTP client to nginx, optionally from another loopback address (127.0.0.x), as another client machine.</summary>
    public HttpClient CreateClient(string? sourceAddress = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (sourceAddress is not null)
        {
            var source = IPAddress.Parse(sourceAddress);
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new HttpClient(handler) { BaseAddress = new Uri(Nginx.BaseUrl), Timeout = timeout ?? TimeSpan.FromSeconds(100) };
    }

    /// <summary>The metrics text of one instance, read from its management port.</summary>
    public async Task<string> ScrapeAsync(int index)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://127.0.0.1:{_metricsPorts[index].ToString(CultureInfo.InvariantCulture)}/metrics");
    }

    public int MetricsPort(int index) => _metricsPorts[index];

    /// <summary>The index of the instance whose studyguru_streams_active gauge reads above zero, if exactly one does.</summary>
    public async Task<int?> InstanceRunningAGenerationAsync()
    {
        var running = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            if (Instances[i] is null) continue;
            var text = await ScrapeAsync(i);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("studyguru_streams_active", StringComparison.Ordinal));
            if (line is not null && double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) > 0) running.Add(i);
        }
        return running.Count == 1 ? running[0] : null;
    }

    /// <summary>
    /// The tail of each running instance's output and nginx's error log, for a failure message; every instance's whole
    /// output, the stopped ones' too, goes to a file in the artifacts folder, named here.
    /// </summary>
    public string Diagnostics()
    {
        var everything = new List<string>();
        lock (_stoppedOutputs) everything.AddRange(_stoppedOutputs);
        for (var i = 0; i < Instances.Length; i++)
            if (Instances[i] is { } running) everything.Add($"instance {i} (running):\n{running.Output}");
        var file = Path.Combine(RepositoryPaths.Artifacts, $"nginx-cluster-{Guid.NewGuid():N}.log");
        File.WriteAllText(file, string.Join("\n\n", everything));
        return $"every instance's output: {file}\nnginx error log:\n{Nginx?.ErrorLog}\n" +
               $"instance 0:\n{Tail(Instances[0]?.Output)}\ninstance 1:\n{Tail(Instances[1]?.Output)}";
    }

    private static string Tail(string? text) => text is null ? "(not running)" : text.Length > 4000 ? text[^4000..] : text;

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null) await Nginx.DisposeAsync();
        foreach (var instance in Instances)
            if (instance is not null) await instance.DisposeAsync();
        await Redis.DisposeAsync();
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
