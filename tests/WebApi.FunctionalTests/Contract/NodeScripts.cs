using System.Diagnostics;
using System.Text;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>Runs the Node scripts under tests/e2e (installing their pinned packages once with npm ci).</summary>
public static class NodeScripts
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "e2e");

    public sealed record Result(int ExitCode, string Output);

    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            // Every package the scripts import: a folder installed before one was added installs again.
            string[] packages = ["playwright-core", "ai", Path.Combine("@ai-sdk", "react"), "esbuild", "react-dom"];
            if (packages.All(p => Directory.Exists(Path.Combine(Folder, "node_modules", p)))) return;
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
                new Dictionary<string, string> { ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1" }, TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0) Assert.Fail($"npm ci in tests/e2e failed ({install.ExitCode}):\n{install.Output}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    public static Task<Result> NodeAsync(string script, IDictionary<string, string> environment, TimeSpan timeout) =>
        RunAsync("node", [script], environment, timeout);

    public static async Task<Result> RunAsync(string command, IEnumerable<string> arguments, IDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Assert.Fail($"'{command}' could not be started ({exception.Message}): install Node.js 20+ and npm.");
            throw;
        }
        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{command} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}:\n{output}");
            }
            process.WaitForExit();
            lock (output) return new Result(process.ExitCode, output.ToString());
        }
    }
}
