using System.Reflection;

namespace StudyGuru.Benchmarks.Hosting;

/// <summary>Paths fixed at build time (see the project file), so the program finds the API however it is started.</summary>
public static class RepositoryPaths
{
    /// <summary>The API assembly of the same configuration, built by <c>dotnet run</c> through the project reference,
    /// unless <c>--api-assembly</c> named another build (an older commit's, to compare in the same run).</summary>
    public static string WebApiAssembly => Path.GetFullPath(WebApiAssemblyOverride ?? Metadata("WebApiAssembly"));

    public static string? WebApiAssemblyOverride { get; set; }

    public static string Root => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string ResultsDirectory => Path.Combine(Root, "bench-results");

    /// <summary>This program, for starting it again as the baseline server.</summary>
    public static string BenchmarkAssembly => typeof(RepositoryPaths).Assembly.Location;

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
