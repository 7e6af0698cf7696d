using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Copies the WAL back into the database file on a thread and connection of its own, so that no commit of the
/// <see cref="SqliteWriter"/> waits for it. SQLite's own auto-checkpoint runs inside the commit that crosses
/// 1,000 WAL pages, while that commit holds the one write lock: with <c>synchronous=NORMAL</c> that checkpoint is
/// the only write that waits for the disk (two fsyncs), and it made every ~50th conversation's start or settlement
/// 5 ms slower (docs/performance.md, "First event and CPU per token (fifth round)").
/// </summary>
/// <remarks>
/// <para>The checkpoint is SQLite's PASSIVE one, the same kind the auto-checkpoint runs: it copies what no reader
/// still needs and never waits for the write lock, so the writer goes on committing to the WAL meanwhile; the next
/// write after a complete checkpoint starts the WAL from its beginning again. What a crash or a power loss can lose
/// is unchanged: commits are in the WAL before they are acknowledged, and the WAL is synced before it is copied.</para>
/// <para>The writer calls <see cref="Committed"/> after each commit, which wakes this thread at most every
/// <see cref="SignalInterval"/>; it checkpoints at most every <see cref="CheckpointInterval"/> while commits go on,
/// whatever they wrote. It never looks into SQLite's files itself: SQLite coordinates the processes that share a
/// database through POSIX locks on the WAL index, and the kernel drops all of a process's locks on a file when the
/// process closes any descriptor of it, so reading the index through a descriptor of its own let another instance
/// write at the same time and lose commits (docs/decisions/ADR-004-sqlite-writes.md). The writer's connection keeps
/// an auto-checkpoint at <see cref="BackstopPages"/> in case this one falls behind or fails. The thread starts on
/// demand and ends after <see cref="IdleExit"/> without a call, like the writer's.</para>
/// </remarks>
internal sealed class WalCheckpointer(string connectionString)
{
    /// <summary>
    /// The least time between two checkpoints. A checkpoint costs two fsyncs whatever it copies: this keeps them to five
    /// a second at most, and what the WAL holds uncopied to about what 200 ms of commits write (measured against the
    /// 1,000-frame rule it replaced in docs/performance.md, "End of the seventh round").
    /// </summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The writer connection's own auto-checkpoint, only reached when this thread does not keep up.</summary>
    public const int BackstopPages = 20_000;

    private static readonly long SignalInterval = Stopwatch.Frequency / 50;
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(10);

    // What tests read, kept together: how many checkpoints ran, and what the latest one reported.
    private static readonly Lock Counted = new();
    private static long _checkpoints;
    private static (long, long) _lastCheckpoint;

    /// <summary>Checkpoints this process ran off the commit path (tests read it).</summary>
    internal static long Checkpoints
    {
        get { lock (Counted) return _checkpoints; }
    }

    /// <summary>What the latest of them reported: the WAL's frames, and how many of them are in the database file now.</summary>
    internal static (long WalFrames, long CopiedFrames) LastCheckpoint
    {
        get { lock (Counted) return _lastCheckpoint; }
    }

    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly bool _servesAFile = ServesAFile(connectionString);
    private bool _threadRunning;
    private long _lastSignal;

    /// <summary>On the writer's thread, after a commit: cheap unless a signal is due.</summary>
    public void Committed()
    {
        if (!_servesAFile) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _lastSignal < SignalInterval) return;
        _lastSignal = now;
        lock (_sync)
        {
            if (!_threadRunning)
            {
                _threadRunning = true;
                new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" }.Start();
            }
        }
        if (_due.CurrentCount == 0)
        {
            try
            {
                _due.Release();
            }
            catch (SemaphoreFullException)
            {
                // Signalled by a commit a moment ago and not yet taken: one pending signal is enough.
            }
        }
    }

    /// <summary>The writer connection's setting that leaves checkpoints to this class (with the backstop).</summary>
    public void ApplyTo(SqliteConnection writerConnection)
    {
        if (!_servesAFile) return;
        using var command = writerConnection.CreateCommand();
        command.CommandText = $"PRAGMA wal_autocheckpoint={BackstopPages};";
        command.ExecuteNonQuery();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        var lastCheckpoint = 0L;
        try
        {
            while (true)
            {
                if (!_due.Wait(IdleExit))
                {
                    lock (_sync)
                    {
                        if (_due.CurrentCount == 0)
                        {
                            _threadRunning = false;
                            return;
                        }
                    }
                    continue;
                }
                // Commits that come meanwhile are copied by this checkpoint too.
                var sinceLast = Stopwatch.GetElapsedTime(lastCheckpoint);
                if (lastCheckpoint != 0 && sinceLast < CheckpointInterval) Thread.Sleep(CheckpointInterval - sinceLast);
                lastCheckpoint = Stopwatch.GetTimestamp();
                try
                {
                    connection ??= Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    using var result = command.ExecuteReader(); // busy, WAL frames, frames copied
                    var reported = result.Read() ? (result.GetInt64(1), result.GetInt64(2)) : default;
                    lock (Counted)
                    {
                        _checkpoints++;
                        if (reported != default) _lastCheckpoint = reported;
                    }
                }
                catch (SqliteException)
                {
                    // Busy or failed: the next signal tries again, and the writer's backstop bounds the WAL meanwhile.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        SqliteSynchronousInterceptor.Apply(connection);
        return connection;
    }

    /// <summary>In-memory and URI data sources have no WAL to copy back; this serves database files only.</summary>
    private static bool ServesAFile(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return !string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && !dataSource.StartsWith("file:", StringComparison.Ordinal);
    }
}
