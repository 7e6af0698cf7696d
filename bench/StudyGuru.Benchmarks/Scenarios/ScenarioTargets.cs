using StudyGuru.Benchmarks.Hosting;

namespace StudyGuru.Benchmarks.Scenarios;

/// <summary>
/// Runs a measurement against the baseline and then the API, each freshly started with the scenario's
/// settings and stopped afterwards, so that one server never competes with the other for the two cores.
/// </summary>
public static class ScenarioTargets
{
    public static async Task<IReadOnlyList<(string Target, T Result)>> MeasureEachAsync<T>(
        BenchmarkOptions options, StreamSettings settings, Func<Target, Task<T>> measure)
    {
        var results = new List<(string, T)>();
        if (!options.SkipBaseline)
        {
            await using var baseline = await BaselineLauncher.StartAsync(settings);
            Console.WriteLine($"  baseline pid {baseline.Server.Pid} on {baseline.Server.BaseAddress}");
            results.Add(("baseline", await measure(baseline)));
        }
        await using var api = await ApiLauncher.StartAsync(settings, options.ApiEnvironment);
        Console.WriteLine($"  api pid {api.Server.Pid} on {api.Server.BaseAddress} (log {api.Server.LogFile})");
        results.Add(("api", await measure(api)));
        return results;
    }

    /// <summary>The API's value over the baseline's, when both were measured.</summary>
    public static double Ratio<T>(IReadOnlyList<(string Target, T Result)> results, Func<T, double> value)
    {
        var baseline = results.FirstOrDefault(r => r.Target == "baseline");
        var api = results.FirstOrDefault(r => r.Target == "api");
        return baseline.Target is null || api.Target is null ? double.NaN : value(api.Result) / value(baseline.Result);
    }

    public static IReadOnlyList<string> TopErrors(IEnumerable<Clients.ConversationResult> results, int count = 5) =>
        results.Where(r => r.Error is not null)
            .GroupBy(r => r.Error!.Length > 200 ? r.Error[..200] : r.Error)
            .OrderByDescending(g => g.Count())
            .Take(count)
            .Select(g => $"{g.Count()} x {g.Key}")
            .ToList();
}
