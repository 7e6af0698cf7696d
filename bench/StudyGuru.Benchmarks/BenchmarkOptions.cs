namespace StudyGuru.Benchmarks;

/// <summary>Command-line options of a benchmark run.</summary>
public sealed record BenchmarkOptions(
    IReadOnlyList<string> Scenarios,
    bool Quick,
    bool SkipBaseline,
    IReadOnlyDictionary<string, string> ApiEnvironment,
    string? ApiAssembly = null)
{
    public static readonly IReadOnlyList<string> AllScenarios = ["first-event", "throughput", "request-rate", "concurrency", "burst"];

    public const string Usage = """
        usage: dotnet run -c Release --project bench/StudyGuru.Benchmarks -- [options]
          --scenario all|first-event|throughput|request-rate|concurrency|burst   (repeatable; default all)
          --scenario soak           1,000 clients dropping and resuming across two instances and one
                                    Redis server for 2 minutes (not part of "all"; needs redis-server)
          --quick                   much smaller counts: a smoke run of under two minutes
          --no-baseline             measure the API only
          --api-env NAME=VALUE      extra environment for the API process (repeatable),
                                    e.g. DOTNET_gcServer=0 or DOTNET_PerfMapEnabled=1
          --api-assembly PATH       run another build of the API (e.g. a worktree of an older commit,
                                    built with -c Release) to compare before and after in one session
        Results: a table per scenario on stdout and bench-results/<scenario>.json.
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        var scenarios = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        var skipBaseline = false;
        string? apiAssembly = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-baseline":
                    skipBaseline = true;
                    break;
                case "--scenario" when i + 1 < args.Length:
                    var name = args[++i];
                    if (name == "all") scenarios.AddRange(AllScenarios);
                    else if (name == StudyGuru.Benchmarks.Scenarios.SoakScenario.Name) scenarios.Add(name);
                    else if (AllScenarios.Contains(name)) scenarios.Add(name);
                    else return null;
                    break;
                case "--api-assembly" when i + 1 < args.Length:
                    apiAssembly = Path.GetFullPath(args[++i]);
                    break;
                case "--api-env" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i];
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    environment[pair[..equals]] = pair[(equals + 1)..];
                    break;
                default:
                    return null;
            }
        }
        if (scenarios.Count == 0) scenarios.AddRange(AllScenarios);
        return new BenchmarkOptions(scenarios.Distinct().ToList(), quick, skipBaseline, environment, apiAssembly);
    }
}
