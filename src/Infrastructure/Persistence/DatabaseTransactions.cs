using Microsoft.EntityFrameworkCore;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>What a transactional step decided: commit its writes, or roll them back, and what to return.</summary>
internal readonly record struct TransactionOutcome<T>(bool Commit, T Result)
{
    public static TransactionOutcome<T> Committed(T result) => new(true, result);
    public static TransactionOutcome<T> RolledBack(T result) => new(false, result);
}

internal static class DatabaseTransactions
{
    /// <summary>
    /// Runs <paramref name="step"/> in one transaction inside the provider's execution strategy:
    /// SQL Server's retrying strategy refuses user-started transactions outside it, and retries the
    /// whole step (never half of it) on a transient failure. On SQLite, BeginTransaction issues
    /// BEGIN IMMEDIATE, so the step holds the write lock from its first read and two steps never
    /// read the same balance and both write; this process's steps run on <see cref="SqliteWriter"/>'s thread, those that queued together in one
    /// transaction (each in its own savepoint, with its own outcome).
    /// </summary>
    /// <param name="onCallerWhenIdle">The step only works with the database (it never waits for other work of its caller):
    /// on SQLite it may run on the calling thread when the writer has nothing else to do (<see cref="SqliteWriter.RunAsync{T}"/>).</param>
    public static Task<T> InTransactionAsync<T>(
        this StudyGuruDbContext db,
        Func<CancellationToken, Task<TransactionOutcome<T>>> step,
        CancellationToken cancellationToken,
        bool onCallerWhenIdle = false)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(
            (db, step, onCallerWhenIdle),
            static (_, state, ct) => state.db.RunsOnSqlite
                ? SqliteWriter.RunAsync(state.db, state.step, ct, state.onCallerWhenIdle)
                : RunAsync(state.db, state.step, ct),
            verifySucceeded: null,
            cancellationToken);
    }

    private static async Task<T> RunAsync<T>(
        StudyGuruDbContext db, Func<CancellationToken, Task<TransactionOutcome<T>>> step, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await step(ct);
        if (outcome.Commit) await transaction.CommitAsync(ct);
        else await transaction.RollbackAsync(ct);
        return outcome.Result;
    }

    /// <summary>Refreshes an entity this context tracks after a bulk update changed its row behind the
    /// change tracker, so a caller holding it does not see (or later save) stale values.</summary>
    public static async Task RefreshIfTrackedAsync<TEntity>(this StudyGuruDbContext db, Guid id, CancellationToken cancellationToken)
        where TEntity : class
    {
        var entry = db.Set<TEntity>().Local.FindEntry(id);
        if (entry is not null) await entry.ReloadAsync(cancellationToken);
    }
}
