using StudyGuru.Benchmarks.Hosting;
using StudyGuru.Benchmarks.Scenarios;

namespace StudyGuru.Benchmarks;

/// <summary>Runs the chosen scenarios in order; one failing scenario does not stop the others.</summary>
public static class BenchmarkRun
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        RepositoryPaths.WebApiAssemblyOverride = options.ApiAssembly;
        Console.WriteLine($"StudyGuru benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
            + $"{(options.Quick ? "quick" : "full")} run, API {RepositoryPaths.WebApiAssembly}");
        if (options.ApiEnvironment.Count > 0)
            Console.WriteLine("API environment: " + string.Join(' ', options.ApiEnvironment.Select(e => $"{e.Key}={e.Value}")));

        var failed = 0;
        foreach (var scenario in options.Scenarios)
        {
            Console.WriteLine($"\n== {scenario}");
            try
            {
                await (scenario switch
                {
                    FirstEventScenario.Name => FirstEventScenario.RunAsync(options),
                    ThroughputScenario.Name => ThroughputScenario.RunAsync(options),
                    RequestRateScenario.Name => RequestRateScenario.RunAsync(options),
                    ConcurrencyScenario.Name => ConcurrencyScenario.RunAsync(options),
                    BurstScenario.Name => BurstScenario.RunAsync(options),
                    SoakScenario.Name => SoakScenario.RunAsync(options),
                    _ => throw new ArgumentOutOfRangeException(nameof(options), scenario, "Unknown scenario."),
                });
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                failed++;
                Console.Error.WriteLine($"{scenario} failed: {exception}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
