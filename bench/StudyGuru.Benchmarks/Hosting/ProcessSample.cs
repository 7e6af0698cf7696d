using System.Globalization;

namespace StudyGuru.Benchmarks.Hosting;

/// <summary>
/// What the kernel says about a process at one moment: CPU time (user + system), resident memory now and
/// at its peak, threads and open file descriptors. Read from /proc, so it costs the measured process nothing.
/// </summary>
public sealed record ProcessSample(DateTime At, double CpuSeconds, long RssKb, long PeakRssKb, int Threads, int OpenFiles)
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux build this runs on (getconf CLK_TCK).
    private const double ClockTicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which may contain spaces, start at field 3 (state).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

        long rss = 0, peak = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Kilobytes(line);
        }
        var openFiles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        return new ProcessSample(DateTime.UtcNow, ticks / ClockTicksPerSecond, rss, peak, threads, openFiles);
    }

    /// <summary>The number in a line such as <c>VmRSS:   123456 kB</c>.</summary>
    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}

/// <summary>CPU used between two samples, and the memory at the second.</summary>
public sealed record ProcessUsage(double CpuSeconds, double WallSeconds, long RssKb, long PeakRssKb, int Threads, int PeakOpenFiles)
{
    public double CoresUsed => WallSeconds > 0 ? CpuSeconds / WallSeconds : 0;

    public static ProcessUsage Between(ProcessSample start, ProcessSample end, int peakOpenFiles = 0) => new(
        end.CpuSeconds - start.CpuSeconds, (end.At - start.At).TotalSeconds, end.RssKb, end.PeakRssKb, end.Threads,
        Math.Max(peakOpenFiles, end.OpenFiles));
}
