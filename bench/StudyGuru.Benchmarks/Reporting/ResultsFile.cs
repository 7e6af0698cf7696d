using System.Text.Json;
using System.Text.Json.Serialization;
using StudyGuru.Benchmarks.Hosting;

namespace StudyGuru.Benchmarks.Reporting;

/// <summary>Writes a scenario's results as <c>bench-results/&lt;scenario&gt;.json</c> at the repository root.</summary>
public static class ResultsFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(string scenario, object results)
    {
        Directory.CreateDirectory(RepositoryPaths.ResultsDirectory);
        var path = Path.Combine(RepositoryPaths.ResultsDirectory, $"{scenario}.json");
        var document = new
        {
            scenario,
            measured_at = DateTime.UtcNow,
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            results,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
        return path;
    }
}
