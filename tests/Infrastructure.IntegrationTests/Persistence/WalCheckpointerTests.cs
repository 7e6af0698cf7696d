using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The WAL is copied back into the database file beside the writer (WalCheckpointer), not inside its commits:
/// writes past the checkpoint size are checkpointed, the WAL stays bounded, and nothing written is lost.
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
    public async Task CommitsPastTheCheckpointSize_AreCheckpointedBesideTheWriter_AndKeepEveryWrite()
    {
        var user = await _database.SeedUserAsync(0);
        var before = WalCheckpointer.Checkpoints;

        // One commit each, every one of them at least one WAL frame: well past the 1,000 frames of a checkpoint.
        const int commits = 1_500;
        for (var i = 0; i < commits; i++) await CreditOneAsync(user.Id);

        // The checkpoint thread looks at most every 20 ms after a commit; a few more commits let it look again.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var extra = 0;
        while (WalCheckpointer.Checkpoints == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
            await CreditOneAsync(user.Id);
            extra++;
        }

        Assert.That(WalCheckpointer.Checkpoints, Is.GreaterThan(before), "no checkpoint ran beside the writer");
        Assert.That(FramesNotCheckpointed(), Is.LessThan(WalCheckpointer.CheckpointFrames + 500),
            "the WAL grew past the checkpoint size without being copied back");
        var points = await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync());
        Assert.That(points, Is.EqualTo(commits + extra));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

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

    /// <summary>From the WAL index (the <c>-shm</c> file): the header's <c>mxFrame</c> less the checkpoint's <c>nBackfill</c>.</summary>
    private long FramesNotCheckpointed()
    {
        using var index = File.Open(_database.FilePath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[100];
        index.ReadExactly(header);
        var frames = BitConverter.ToUInt32(header, 16);
        var copied = BitConverter.ToUInt32(header, 96);
        return frames > copied ? frames - copied : 0;
    }
}
