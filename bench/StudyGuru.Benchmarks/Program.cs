using StudyGuru.Benchmarks;
using StudyGuru.Benchmarks.Baseline;

// The same program serves the baseline when started as a child with "serve-baseline", so that the
// baseline runs in its own process like the API (its own GC heap, thread pool and /proc counters).
if (args.Length > 0 && args[0] == BaselineServer.Command)
    return await BaselineServer.RunAsync(args[1..]);

var options = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
return await BenchmarkRun.RunAsync(options);
