using System.Collections.Concurrent;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Queues this process's write transactions on one SQLite file before they ask SQLite for its write
/// lock. Without it, concurrent <c>BEGIN IMMEDIATE</c>s meet SQLITE_BUSY and Microsoft.Data.Sqlite retries
/// by putting the thread to sleep, so under load writers waited far longer than the locked work took.
/// Other processes on the same file still meet the busy retry: the gate only orders this one.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async ValueTask<Releaser> EnterAsync(string connectionString, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(connectionString, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    public readonly struct Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
