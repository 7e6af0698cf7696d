using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Runs this process's write transactions on one SQLite file on one thread, and commits the ones that queued
/// together as one SQLite transaction (group commit). SQLite has one writer anyway; what this removes is the
/// hand-over between writers and a BEGIN, COMMIT and WAL append per step. With a lock (the earlier
/// <c>SemaphoreSlim</c>), each next writer's continuation waited behind every other piece of work on the thread
/// pool, and under load the write lock spent more time waiting for that than doing the writes
/// (docs/performance.md, docs/decisions/ADR-004-sqlite-writes.md).
/// </summary>
/// <remarks>
/// <para>Each step keeps its own outcome. It runs inside its own savepoint, on its own context (lent the
/// writer's connection and transaction for the step's duration): a step that rolls back, or throws, is undone
/// to its savepoint and its neighbours are not touched. Results are handed back only after the batch's COMMIT;
/// if BEGIN, a savepoint or the COMMIT fails, every step of that batch gets the exception and nothing of it is
/// kept, exactly as if each had failed in its own transaction.</para>
/// <para>Each step runs in the execution context of the request that queued it (its activity and log scope)
/// and with its own cancellation token. The thread starts on demand and ends after <see cref="IdleExit"/>
/// without work, closing its connection, so an idle process (or a test run with many database files) keeps no
/// threads. Other processes on the same file still meet SQLite's locking and the driver's busy retry.</para>
/// </remarks>
internal sealed class SqliteWriter
{
    /// <summary>At most this many steps share one transaction, so one batch never holds the lock for long.</summary>
    public const int MaxBatch = 64;

    private static int _largestBatch;

    /// <summary>The most steps one committed transaction has held in this process (tests read it to know that
    /// their steps really shared transactions).</summary>
    internal static int LargestBatch => Volatile.Read(ref _largestBatch);

    private static readonly ConcurrentDictionary<string, SqliteWriter> Writers = new(StringComparer.Ordinal);
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly Lock _sync = new();

    /// <summary>Held while a batch runs (on the writer's thread or a caller's) and while the connection closes.</summary>
    private readonly Lock _running = new();

    /// <summary>The queue's length, readable without <see cref="_sync"/>.</summary>
    private int _queued;

    private volatile bool _connectionClosedForExit;
    private readonly Queue<IStep> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly List<IStep> _batch = new(MaxBatch);
    private bool _threadRunning;
    private SqliteConnection? _connection;

    private readonly WalCheckpointer _checkpointer;

    private SqliteWriter(string connectionString)
    {
        _connectionString = connectionString;
        _checkpointer = new WalCheckpointer(connectionString);
    }

    /// <summary>Queues <paramref name="step"/> to run on <paramref name="db"/> inside the next batch's transaction.</summary>
    /// <param name="onCallerWhenIdle">
    /// The step only works with the database: when the writer's thread is idle and nothing is queued, it runs on the
    /// calling thread instead, as a batch of its own (its own transaction and savepoint, the same outcome). A lone
    /// client's start otherwise waited for the sleeping writer thread to be scheduled and then for a thread-pool
    /// thread to take the result back: ~60 µs of the ~500 µs before its first event on a quiet machine, and more on a
    /// busy one, where a woken thread waits behind every runnable one (docs/performance.md, "First event and CPU per
    /// token (fifth round)"). Not for a step that may wait for its caller (GroupCommitTests holds the writer with
    /// one): queuing never runs such a step on its caller.
    /// </param>
    public static Task<T> RunAsync<T>(
        StudyGuruDbContext db, Func<CancellationToken, Task<TransactionOutcome<T>>> step, CancellationToken cancellationToken,
        bool onCallerWhenIdle = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connectionString = db.Database.GetConnectionString() ?? "";
        var writer = Writers.GetOrAdd(connectionString, static cs => new SqliteWriter(cs));
        var item = new Step<T>(db, connectionString, step, cancellationToken, ExecutionContext.Capture());
        if (!(onCallerWhenIdle && writer.TryRunOnCaller(item))) writer.Enqueue(item);
        return item.Completion.Task;
    }

    /// <summary>Runs <paramref name="item"/> now, on this thread, if the writer's thread exists, runs no batch and has
    /// nothing queued; false leaves it to the queue. The writer's thread must exist: it closes the connection when idle.</summary>
    private bool TryRunOnCaller(IStep item)
    {
        if (Volatile.Read(ref _queued) > 0 || !Volatile.Read(ref _threadRunning) || !_running.TryEnter()) return false;
        try
        {
            // Checked again while holding the connection: a step queued meanwhile goes first, and the thread may have ended.
            if (Volatile.Read(ref _queued) > 0 || _connectionClosedForExit) return false;
            RunBatch([item]);
            return true;
        }
        finally
        {
            _running.Exit();
        }
    }

    private void Enqueue(IStep item)
    {
        lock (_sync)
        {
            _queue.Enqueue(item);
            Volatile.Write(ref _queued, _queue.Count);
            if (!_threadRunning)
            {
                _threadRunning = true;
                _connectionClosedForExit = false;
                new Thread(RunQueue) { IsBackground = true, Name = "SQLite writer" }.Start();
            }
        }
        _available.Release();
    }

    private void RunQueue()
    {
        while (true)
        {
            if (!_available.Wait(IdleExit))
            {
                lock (_sync)
                {
                    // A step that was queued just after the wait timed out is still counted: take it.
                    if (_queue.Count == 0)
                    {
                        _threadRunning = false;
                        lock (_running)
                        {
                            CloseConnection();
                            _connectionClosedForExit = true;
                        }
                        return;
                    }
                }
                continue;
            }

            _batch.Clear();
            lock (_sync)
            {
                _batch.Add(_queue.Dequeue());
                // The semaphore counts queued steps: take as many of its units as steps are taken here.
                while (_batch.Count < MaxBatch && _queue.Count > 0 && _available.Wait(0))
                    _batch.Add(_queue.Dequeue());
                Volatile.Write(ref _queued, _queue.Count);
            }
            lock (_running) RunBatch(_batch);
        }
    }

    private void RunBatch(IReadOnlyList<IStep> batch)
    {
        try
        {
            var connection = OpenConnection();
            using var transaction = BeginWaitingForTheLock(connection); // BEGIN IMMEDIATE: the write lock from the start
            // A step alone in its batch needs no savepoint: the transaction is its own, and rolls back with it
            // (two statements fewer per lone start or settlement: docs/performance.md, fifth round).
            var alone = batch.Count == 1;
            for (var i = 0; i < batch.Count; i++)
                batch[i].RunInside(connection, transaction, alone ? null : Savepoints[i]);
            if (alone && !batch[0].Keeps)
            {
                transaction.Rollback();
            }
            else
            {
                transaction.Commit();
                _checkpointer.Committed();
            }
            int seen;
            while (batch.Count > (seen = Volatile.Read(ref _largestBatch))
                && Interlocked.CompareExchange(ref _largestBatch, batch.Count, seen) != seen)
            {
                // Another file's writer raised it meanwhile: compare again.
            }
        }
        catch (Exception exception)
        {
            // Nothing of this batch was committed: every step hears so, whatever it decided.
            CloseConnection();
            foreach (var step in batch) step.Fail(exception);
            return;
        }
        foreach (var step in batch) step.Publish();
    }

    /// <summary>
    /// How long a batch waits, in all, for the write lock when another process holds it: the driver waits
    /// <c>Default Timeout</c> (30 s) per attempt, and BEGIN is repeated until this has passed. A settlement must
    /// outlast a long lock (a backup, an operator's shell) rather than lose the answer and its charge; only
    /// BEGIN is repeated, so no step runs twice.
    /// </summary>
    public static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(5);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private static SqliteTransaction BeginWaitingForTheLock(SqliteConnection connection)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return connection.BeginTransaction();
            }
            catch (SqliteException busy) when (busy.SqliteErrorCode is SqliteBusy or SqliteLocked && waiting.Elapsed < LockPatience)
            {
                // Still held by another process: ask again (the driver waited its busy timeout already).
            }
        }
    }

    private SqliteConnection OpenConnection()
    {
        if (_connection is not null) return _connection;
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteSynchronousInterceptor.Apply(connection);
        // Checkpoints run beside the writer, not inside its commits (WalCheckpointer).
        _checkpointer.ApplyTo(connection);
        return _connection = connection;
    }

    private void CloseConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static readonly string[] Savepoints = Enumerable.Range(0, MaxBatch).Select(i => $"step{i}").ToArray();

    private interface IStep
    {
        /// <summary>Runs the step in its own savepoint (none: the transaction is the step's alone); throws only when
        /// the batch's transaction is broken.</summary>
        void RunInside(SqliteConnection connection, SqliteTransaction transaction, string? savepoint);

        /// <summary>After <see cref="RunInside"/>: whether the step's writes are to be kept.</summary>
        bool Keeps { get; }

        /// <summary>After the COMMIT: the step's own result, exception or cancellation.</summary>
        void Publish();

        void Fail(Exception batchFailure);
    }

    private sealed class Step<T>(
        StudyGuruDbContext db,
        string connectionString,
        Func<CancellationToken, Task<TransactionOutcome<T>>> step,
        CancellationToken cancellationToken,
        ExecutionContext? context) : IStep
    {
        private T? _result;
        private Exception? _exception;
        private bool _keep;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Keeps => _keep;

        public void RunInside(SqliteConnection connection, SqliteTransaction transaction, string? savepoint)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _exception = new OperationCanceledException(cancellationToken);
                return;
            }
            if (savepoint is not null) transaction.Save(savepoint);
            try
            {
                // The step's context works on the writer's connection and inside its transaction; its own
                // connection (closed between statements) is given back below.
                db.Database.SetDbConnection(connection, contextOwnsConnection: false);
                db.Database.UseTransaction(transaction);
                if (context is null) RunStep();
                else ExecutionContext.Run(context, static state => ((Step<T>)state!).RunStep(), this);
            }
            finally
            {
                db.Database.UseTransaction(null);
                db.Database.SetDbConnection(null, contextOwnsConnection: true);
                db.Database.SetConnectionString(connectionString);
            }
            if (savepoint is null) return;
            if (!_keep) transaction.Rollback(savepoint);
            transaction.Release(savepoint);
        }

        // Blocking is intended: this is the writer's own thread, and SQLite's ADO.NET calls complete synchronously.
        private void RunStep()
        {
            try
            {
                var outcome = step(cancellationToken).GetAwaiter().GetResult();
                _result = outcome.Result;
                _keep = outcome.Commit;
            }
            catch (Exception exception)
            {
                _exception = exception;
                _keep = false;
            }
        }

        public void Publish()
        {
            if (_exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                Completion.TrySetCanceled(cancellationToken);
            else if (_exception is not null)
                Completion.TrySetException(_exception);
            else
                Completion.TrySetResult(_result!);
        }

        public void Fail(Exception batchFailure) => Completion.TrySetException(_exception ?? batchFailure);
    }
}
