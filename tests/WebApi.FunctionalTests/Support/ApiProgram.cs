using System.Diagnostics;
using System.Text;
using StudyGuru.WebApi.FunctionalTests.Contract;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>Runs the built API program as an operator would (<c>dotnet StudyGuru.WebApi.dll ...</c>) and waits for it to exit.</summary>
public static class ApiProgram
{
    public sealed record Exit(int? Code, string Output)
    {
        public bool TimedOut => Code is null;
    }

    /// <returns>The exit code, or null when it was still running after <paramref name="timeout"/> (it is killed then).</returns>
    public static async Task<Exit> RunAsync(IEnumerable<string> arguments, IDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "src", "WebApi"),
        };
        start.ArgumentList.Add(LiveApiServer.WebApiAssemblyPath());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) return new Exit(null, output.ToString());
        }
        process.WaitForExit(); // drains the redirected output
        lock (output) return new Exit(process.ExitCode, output.ToString());
    }
}
