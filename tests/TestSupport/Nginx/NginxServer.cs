using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace StudyGuru.TestSupport.Nginx;

/// <summary>
/// A real <c>nginx</c> for tests, running the project's shipped <c>deploy/nginx/studyguru.conf</c> on 127.0.0.1 and
/// a free port, with its own prefix folder (config, logs, temp files, pid), so that several test runs can go on
/// side by side. Only the addresses are replaced (the upstream servers and the listen port) and, where a test says
/// so, single directives' values; everything else is the shipped file. If nginx is not installed,
/// <see cref="StartAsync"/> fails with a message saying how to install it.
/// </summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    public const string ExecutableVariable = "NGINX_PATH";

    private readonly Process _process;
    private readonly string _prefix;
    private readonly StringBuilder _output = new();

    private NginxServer(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The server block as nginx ran it (after the address substitutions).</summary>
    public string Configuration { get; private init; } = "";

    /// <summary>nginx's error log, for failure messages.</summary>
    public string ErrorLog => ReadQuietly(Path.Combine(_prefix, "logs", "error.log"));

    /// <summary>nginx's access log (upstream address, status and timing per request).</summary>
    public string AccessLog => ReadQuietly(Path.Combine(_prefix, "logs", "access.log"));

    /// <param name="shippedConfig">The path of deploy/nginx/studyguru.conf.</param>
    /// <param name="upstreams">host:port of each API instance.</param>
    /// <param name="directives">Directive name → value, replacing the shipped value in every block (e.g. proxy_read_timeout → 3s).</param>
    public static async Task<NginxServer> StartAsync(string shippedConfig, IReadOnlyList<string> upstreams,
        IReadOnlyDictionary<string, string>? directives = null)
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured ? configured : FindExecutable();
        var port = LocalServers.FreeLoopbackPort();
        var prefix = Path.Combine(Path.GetTempPath(), "studyguru-nginx", Guid.NewGuid().ToString("N"));
        foreach (var folder in new[] { "logs", "temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi" })
            Directory.CreateDirectory(Path.Combine(prefix, folder));
        // Run as root, nginx hands requests to workers of an unprivileged user: they must be able to use these.
        if (!OperatingSystem.IsWindows())
            foreach (var folder in Directory.GetDirectories(prefix, "*", SearchOption.AllDirectories).Append(prefix))
                File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var server = Rewrite(File.ReadAllText(shippedConfig), port, upstreams, directives ?? new Dictionary<string, string>());
        File.WriteAllText(Path.Combine(prefix, "studyguru.conf"), server);
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log info;
            events { worker_connections 1024; }
            http {
                log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status time=$request_time';
                access_log {{prefix}}/logs/access.log upstreams;
                client_body_temp_path {{prefix}}/temp/body;
                proxy_temp_path {{prefix}}/temp/proxy;
                fastcgi_temp_path {{prefix}}/temp/fastcgi;
                uwsgi_temp_path {{prefix}}/temp/uwsgi;
                scgi_temp_path {{prefix}}/temp/scgi;
                include {{prefix}}/studyguru.conf;
            }
            """);

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-p", prefix, "-e", Path.Combine(prefix, "logs", "error.log"), "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        LocalServers.StartRequired(process, "a real nginx", "nginx", ExecutableVariable);
        var nginx = new NginxServer(process, prefix, port) { Configuration = server };
        process.OutputDataReceived += (_, e) => nginx.Append(e.Data);
        process.ErrorDataReceived += (_, e) => nginx.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await nginx.WaitUntilListeningAsync();
        return nginx;
    }

    /// <summary>The shipped server block with this test's addresses and directive values.</summary>
    public static string Rewrite(string shipped, int port, IReadOnlyList<string> upstreams, IReadOnlyDictionary<string, string> directives)
    {
        var upstreamBlock = UpstreamBlock().Match(shipped);
        if (!upstreamBlock.Success) throw new InvalidOperationException("The shipped nginx config has no upstream block.");
        var servers = UpstreamServer().Matches(upstreamBlock.Value);
        if (servers.Count == 0) throw new InvalidOperationException("The shipped upstream block lists no server.");
        // Every instance keeps the shipped server parameters (max_fails, fail_timeout...) of the first line.
        var parameters = servers[0].Groups["params"].Value;
        var lines = string.Join("\n    ", upstreams.Select(address => $"server {address}{parameters};")) + "\n";
        var block = UpstreamServer().Replace(upstreamBlock.Value, match => match.Index == servers[0].Index ? lines : "");
        var result = shipped.Replace(upstreamBlock.Value, block, StringComparison.Ordinal);

        if (!ListenLine().IsMatch(result)) throw new InvalidOperationException("The shipped nginx config has no listen line.");
        result = ListenLine().Replace(result, $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};", 1);
        foreach (var (name, value) in directives)
        {
            var pattern = new Regex($@"(?m)^(\s*){Regex.Escape(name)}\s[^;]*;");
            if (!pattern.IsMatch(result)) throw new InvalidOperationException($"The shipped nginx config has no {name} directive.");
            // Every occurrence: each location block of the shipped file carries its own copy.
            result = pattern.Replace(result, $"$1{name} {value};");
        }
        return result;
    }

    [GeneratedRegex(@"upstream\s+\w+\s*\{[^}]*\}")]
    private static partial Regex UpstreamBlock();

    [GeneratedRegex(@"server\s+(?<address>[^\s;]+)(?<params>[^;]*);\n?")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"listen\s+[^;]+;")]
    private static partial Regex ListenLine();

    private static string FindExecutable()
    {
        foreach (var candidate in new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" })
            if (File.Exists(candidate)) return candidate;
        return "nginx";
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}:\n{Output}\n{ErrorLog}\nConfiguration:\n{Configuration}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nginx did not listen on {Port} within 15 s:\n{Output}\n{ErrorLog}");
    }

    private string Output { get { lock (_output) return _output.ToString(); } }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string ReadQuietly(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
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
        // Workers are the master's children; with the master killed they end on their own.
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still hold a log file a moment; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
