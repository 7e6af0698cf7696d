using System.Globalization;
using StudyGuru.Benchmarks.Baseline;

namespace StudyGuru.Benchmarks.Hosting;

/// <summary>Starts this program again as the bare Kestrel baseline, with the scenario's pace and answer length.</summary>
public static class BaselineLauncher
{
    public static async Task<Target> StartAsync(StreamSettings settings)
    {
        var scratch = Directory.CreateTempSubdirectory("studyguru-baseline-").FullName;
        var port = ServerProcess.FreeLoopbackPort();
        string[] arguments =
        [
            BaselineServer.Command,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--token-delay-ms", settings.TokenDelayMs.ToString(CultureInfo.InvariantCulture),
            "--answer-words", settings.AnswerWords.ToString(CultureInfo.InvariantCulture),
        ];
        // Server GC, like any ASP.NET Core app (and the API) by default; this program itself runs workstation GC.
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_gcServer"] = "1" };
        var server = await ServerProcess.StartAsync("baseline", RepositoryPaths.BenchmarkAssembly, arguments, environment,
            scratch, Path.Combine(scratch, "baseline.log"), BaselineServer.ReadyPath, port, TimeSpan.FromMinutes(1));
        return new Target("baseline", server, ["-"], scratch);
    }
}
