using System.Collections.Concurrent;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Runs this process's write transactions on one SQLite file back to back on one thread. SQLite has one
/// writer anyway; what this removes is the hand-over between writers. With a lock (the earlier
/// <c>SemaphoreSlim</c>), each next writer's continuation was queued behind every other piece of work on the
/// thread pool, and under load the write lock spent more time waiting for that than doing the writes
/// (docs/performance.md). Here the thread takes the next queued transaction the moment the previous one
/// commits. Other processes on the same file still meet SQLite's locking and the driver's busy retry.
/// </summary>
/// <remarks>
/// The thread is started on demand and ends after <see cref="IdleExit"/> without work, so an idle process (or a
/// test run with many database files) keeps no threads. Each transaction runs in the execution context of the
/// request that queued it (its activity, log scope) and with its own cancellation token; its result or exception
/// goes back to that request only.
/// </remarks>
internal sealed class SqliteWriter
{
    private static readonly ConcurrentDictionary<string, SqliteWriter> Writers = new(StringComparer.Ordinal);
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(10);

    private readonly Lock _sync = new();
    private readonly Queue<IWork> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private bool _threadRunning;

    public static Task<T> RunAsync<T>(string connectionString, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var writer = Writers.GetOrAdd(connectionString, static _ => new SqliteWriter());
        var item = new Work<T>(work, cancellationToken, ExecutionContext.Capture());
        writer.Enqueue(item);
        return item.Completion.Task;
    }

    private void Enqueue(IWork item)
    {
        lock (_sync)
        {
            _queue.Enqueue(item);
            if (!_threadRunning)
            {
                _threadRunning = true;
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
                    // A writer that queued just now released the semaphore after this timed out: take it.
                    if (_queue.Count == 0)
                    {
                        _threadRunning = false;
                        return;
                    }
                }
                continue;
            }
            IWork item;
            lock (_sync) item = _queue.Dequeue();
            item.Run();
        }
    }

    private interface IWork
    {
        void Run();
    }

    private sealed class Work<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken, ExecutionContext? context) : IWork
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
                return;
            }
            if (context is null) RunHere();
            else ExecutionContext.Run(context, static state => ((Work<T>)state!).RunHere(), this);
        }

        // Blocking is intended: this is the writer's own thread, and SQLite's ADO.NET calls complete synchronously.
        private void RunHere()
        {
            try
            {
                Completion.TrySetResult(work(cancellationToken).GetAwaiter().GetResult());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
            }
            catch (Exception exception)
            {
                Completion.TrySetException(exception);
            }
        }
    }
}
