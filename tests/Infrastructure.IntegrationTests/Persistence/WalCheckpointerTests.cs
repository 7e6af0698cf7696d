using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The WAL is copied back into the database file beside the writer (WalCheckpointer), not inside its commits: the
/// checkpoints catch up with the writer, nothing written is lost, and the locks SQLite shares with other processes
/// are kept.
/// </summary>
[TestFixture]
public sealed class WalCheckpointerTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task CommitsWhileTheWriterRuns_AreCheckpointedBesideIt_AndKeepEveryWrite()
    {
        var user = await _database.SeedUserAsync(0);
        var before = WalCheckpointer.Checkpoints;

        // One commit each, every one of them at least one WAL frame, for several checkpoint intervals.
        var commits = 0;
        var writing = System.Diagnostics.Stopwatch.StartNew();
        while (commits < 1_500 || writing.Elapsed < WalCheckpointer.CheckpointInterval * 5)
        {
            await CreditOneAsync(user.Id);
            commits++;
        }
        // A signal is sent at most every 20 ms: a few more commits, apart, let the last frames be copied too.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((WalCheckpointer.Checkpoints == before || !CopiedEverything(WalCheckpointer.LastCheckpoint)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            await CreditOneAsync(user.Id);
            commits++;
        }

        Assert.That(WalCheckpointer.Checkpoints, Is.GreaterThan(before), "no checkpoint ran beside the writer");
        Assert.That(CopiedEverything(WalCheckpointer.LastCheckpoint), Is.True,
            $"the checkpoints beside the writer did not catch up with it: {WalCheckpointer.LastCheckpoint}");
        var points = await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync());
        Assert.That(points, Is.EqualTo(commits));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    /// <summary>
    /// Processes that share the file coordinate through POSIX locks on the WAL index, and the kernel drops all of a
    /// process's locks on a file when the process closes any descriptor of it. Reading the index through a descriptor of
    /// its own dropped them: another instance could then write the WAL at the same time, or take the index for
    /// unused and rebuild it, and committed writes could be lost (docs/decisions/ADR-004-sqlite-writes.md).
    /// </summary>
    [Test]
    public async Task CheckpointsBesideTheWriter_LeaveEveryLockThisProcessHoldsOnTheWalIndex()
    {
        var user = await _database.SeedUserAsync(0);
        // A reader inside a transaction holds a lock of its own on the index, besides the one every open connection holds.
        await using var reader = new SqliteConnection($"Data Source={_database.FilePath}");
        await reader.OpenAsync();
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.Transaction = snapshot;
            read.CommandText = "SELECT COUNT(*) FROM Users";
            await read.ExecuteScalarAsync();
        }
        var walIndex = _database.FilePath + "-shm";
        var held = PosixLocks.HeldByThisProcess(walIndex);
        Assert.That(held, Is.Not.Empty, "an open connection holds locks on the WAL index");

        var before = WalCheckpointer.Checkpoints;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; (i < 1_500 || WalCheckpointer.Checkpoints == before) && DateTime.UtcNow < deadline; i++)
        {
            await CreditOneAsync(user.Id);
            if (i >= 1_500) await Task.Delay(25);
        }

        Assert.That(WalCheckpointer.Checkpoints, Is.GreaterThan(before), "no checkpoint ran beside the writer");
        Assert.That(PosixLocks.HeldByThisProcess(walIndex), Is.SupersetOf(held),
            "this process lost locks on the WAL index while the checkpoints ran beside the writer");
    }

    private static bool CopiedEverything((long WalFrames, long CopiedFrames) checkpoint) =>
        checkpoint.WalFrames > 0 && checkpoint.CopiedFrames == checkpoint.WalFrames;

    private async Task CreditOneAsync(Guid userId)
    {
        await using var scope = _database.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        await db.InTransactionAsync(async ct =>
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.CurrentPoints, u => u.CurrentPoints + 1)
                .SetProperty(u => u.TotalPointsEarned, u => u.TotalPointsEarned + 1), ct);
            return TransactionOutcome<int>.Committed(0);
        }, CancellationToken.None);
    }
}
