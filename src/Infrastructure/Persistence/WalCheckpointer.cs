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
/// <para>The writer calls <see cref="Committed"/> after each commit; at most every <see cref="CheckInterval"/> that
/// wakes this thread, which reads how many WAL frames no checkpoint copied yet and checkpoints from
/// <see cref="CheckpointFrames"/> on. The
/// writer's connection keeps an auto-checkpoint at <see cref="BackstopPages"/> in case this one falls behind or
/// fails. The thread starts on demand and ends after <see cref="IdleExit"/> without a call, like the writer's.</para>
/// </remarks>
internal sealed class WalCheckpointer(string connectionString)
{
    /// <summary>A checkpoint is due from as many WAL frames not yet copied as SQLite's default auto-checkpoint (1,000 pages).</summary>
    public const int CheckpointFrames = 1000;

    /// <summary>The writer connection's own auto-checkpoint, only reached when this thread does not keep up.</summary>
    public const int BackstopPages = 20_000;

    private static readonly long CheckInterval = Stopwatch.Frequency / 50;
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(10);

    private static long _checkpoints;

    /// <summary>Checkpoints this process ran off the commit path (tests read it).</summary>
    internal static long Checkpoints => Interlocked.Read(ref _checkpoints);

    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly string? _walIndexPath = WalIndexPathOf(connectionString);
    private bool _threadRunning;
    private long _lastSignal;

    /// <summary>On the writer's thread, after a commit: cheap unless a check is due.</summary>
    public void Committed()
    {
        if (_walIndexPath is null) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _lastSignal < CheckInterval) return;
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
                // Signalled by a commit a moment ago and not yet taken: one pending check is enough.
            }
        }
    }

    /// <summary>The writer connection's setting that leaves checkpoints to this class (with the backstop).</summary>
    public void ApplyTo(SqliteConnection writerConnection)
    {
        if (_walIndexPath is null) return;
        using var command = writerConnection.CreateCommand();
        command.CommandText = $"PRAGMA wal_autocheckpoint={BackstopPages};";
        command.ExecuteNonQuery();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
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
                if (FramesNotCheckpointed() < CheckpointFrames) continue;
                try
                {
                    connection ??= Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException)
                {
                    // Busy or failed: the next due check tries again, and the writer's backstop bounds the WAL meanwhile.
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

    /// <summary>
    /// The WAL's frames that no checkpoint copied yet, from the WAL index (the <c>-shm</c> file, SQLite's documented
    /// "wal-index" format, native byte order): <c>mxFrame</c> of the header at byte 16, <c>nBackfill</c> at byte 96.
    /// The WAL file's size says nothing here: after a checkpoint the WAL is written again from its start, and the
    /// file keeps its largest size. A header read while a commit changes it can be off; the next check reads again.
    /// </summary>
    private long FramesNotCheckpointed()
    {
        Span<byte> header = stackalloc byte[100];
        try
        {
            using var index = File.OpenHandle(_walIndexPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.Read(index, header, 0) < header.Length) return 0;
        }
        catch (IOException)
        {
            return 0;
        }
        var frames = BitConverter.ToUInt32(header[16..]);
        var copied = BitConverter.ToUInt32(header[96..]);
        return frames > copied ? frames - copied : 0;
    }

    /// <summary>The WAL index beside a database file; null for in-memory and URI data sources, which this does not serve.</summary>
    private static string? WalIndexPathOf(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
            return null;
        return Path.GetFullPath(dataSource) + "-shm";
    }
}
