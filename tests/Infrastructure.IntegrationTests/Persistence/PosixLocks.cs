namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The POSIX advisory locks this process holds on a file, as the kernel lists them in <c>/proc/locks</c> (Linux). SQLite
/// coordinates the processes that share a database with such locks on the WAL index (the <c>-shm</c> file), and the
/// kernel drops all of a process's locks on a file when the process closes any descriptor of it.
/// </summary>
internal static class PosixLocks
{
    /// <summary>Each lock as "READ 128-128"; the file must be open in this process (SQLite keeps it open).</summary>
    public static IReadOnlySet<string> HeldByThisProcess(string path)
    {
        var inode = InodeOfOpenFile(path);
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines("/proc/locks"))
        {
            // "1: POSIX  ADVISORY  WRITE 4242 fe:00:12173578 120 120"; a waiting lock's line has "->" after its number.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 8 || fields[1] != "POSIX" || fields[4] != pid) continue;
            if (fields[5][(fields[5].LastIndexOf(':') + 1)..] != inode) continue;
            held.Add($"{fields[3]} {fields[6]}-{fields[7]}");
        }
        return held;
    }

    /// <summary>The inode number of <paramref name="path"/>, from the descriptor this process has open on it.</summary>
    private static string InodeOfOpenFile(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (IOException)
            {
                continue; // Closed while being listed.
            }
            if (target != full) continue;
            var info = File.ReadAllLines(Path.Combine("/proc/self/fdinfo", Path.GetFileName(descriptor)));
            return info.Single(l => l.StartsWith("ino:", StringComparison.Ordinal))[4..].Trim();
        }
        throw new InvalidOperationException($"{full} is not open in this process.");
    }
}
