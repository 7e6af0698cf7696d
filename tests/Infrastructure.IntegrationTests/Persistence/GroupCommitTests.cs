using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Infrastructure.Persistence;
using StudyGuru.Infrastructure.Persistence.Repositories;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// This process's SQLite write transactions are grouped: steps queued together commit in one transaction,
/// each in its own savepoint (SqliteWriter). These tests race many steps so that they do share transactions,
/// and check that every step still has its own outcome and every ledger still balances.
/// </summary>
[TestFixture]
public sealed class GroupCommitTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    [Test]
    public async Task StartsAndSettlementsOfManyUsers_Raced_KeepEveryLedgerAndOneChargePerKey()
    {
        const int users = 12, attemptsPerUser = 24, balance = 40, reserve = 5;
        var seeded = new List<User>();
        for (var u = 0; u < users; u++) seeded.Add(await _database.SeedUserAsync(balance));
        var now = DateTime.UtcNow;

        // Every user: 24 attempts under 12 idempotency keys (two requests per key), far more than the balance
        // pays for at once; each started generation settles (some charge above the reservation, some twice).
        var attempts = seeded.SelectMany(user => Enumerable.Range(0, attemptsPerUser).Select(i => (User: user, Attempt: i))).ToList();
        var outcomes = await Task.WhenAll(attempts.Select(a => Task.Run(async () =>
        {
            var start = GenerationScenario.NewThread(a.User.Id, reserve, now, idempotencyKey: $"key-{a.Attempt / 2}");
            var started = await Repository(r => r.StartAsync(start, CancellationToken.None));
            if (started is not GenerationStartResult.Started) return (a.User.Id, Started: started, Charged: (int?)null, Again: (int?)null);
            var charge = a.Attempt % 4 == 0 ? reserve + 3 : a.Attempt % reserve;
            var settlement = GenerationScenario.Settle(start, charge, now);
            var first = await Repository(r => r.SettleAsync(settlement, CancellationToken.None));
            var again = a.Attempt % 3 == 0 ? await Repository(r => r.SettleAsync(settlement, CancellationToken.None)) : null;
            return (a.User.Id, Started: started, Charged: first is null ? null : (int?)Math.Min(charge, reserve), Again: again);
        })));

        Assert.That(SqliteWriter.LargestBatch, Is.GreaterThan(1), "the race never put two steps in one transaction");
        Assert.That(outcomes.Select(o => o.Started), Is.All.InstanceOf<GenerationStartResult.Started>()
            .Or.InstanceOf<GenerationStartResult.InsufficientPoints>()
            .Or.InstanceOf<GenerationStartResult.IdempotencyKeyTaken>());
        Assert.That(outcomes.Where(o => o.Started is GenerationStartResult.Started).Select(o => o.Charged), Is.All.Not.Null,
            "the first settlement of a started generation must settle it");
        Assert.That(outcomes.Select(o => o.Again), Is.All.Null, "a second settlement must change nothing");

        foreach (var user in seeded)
        {
            await _database.AssertPointsInvariantAsync(user.Id);
            var mine = outcomes.Where(o => o.Item1 == user.Id).ToList();
            var expectedUsed = mine.Sum(o => o.Charged ?? 0);
            var (current, used, ledgerUsed, ledgerCharges, keys, held) = await _database.QueryAsync(async db => (
                await db.Users.Where(x => x.Id == user.Id).Select(x => x.CurrentPoints).SingleAsync(),
                await db.Users.Where(x => x.Id == user.Id).Select(x => x.TotalPointsUsed).SingleAsync(),
                await db.PointsLedger.Where(e => e.UserId == user.Id && e.Type == PointsTransactionType.Used).SumAsync(e => e.Points),
                await db.PointsLedger.CountAsync(e => e.UserId == user.Id && e.Type == PointsTransactionType.Used),
                await db.Generations.Where(g => g.UserId == user.Id).GroupBy(g => g.IdempotencyKey).Select(g => g.Count()).ToListAsync(),
                await db.PointsReservations.CountAsync(r => r.UserId == user.Id && r.Status == ReservationStatus.Held)));
            Assert.Multiple(() =>
            {
                Assert.That(used, Is.EqualTo(expectedUsed), "TotalPointsUsed must be the sum of what the settlements charged");
                Assert.That(ledgerUsed, Is.EqualTo(expectedUsed), "the ledger must hold every charge once");
                Assert.That(ledgerCharges, Is.EqualTo(mine.Count(o => o.Charged > 0)));
                Assert.That(current, Is.EqualTo(balance - expectedUsed));
                Assert.That(keys, Is.All.EqualTo(1), "one generation per idempotency key");
                Assert.That(held, Is.Zero, "every started generation was settled");
            });
        }
    }

    [Test]
    public async Task StepsInOneTransaction_ThatRollBackOrThrow_LeaveTheirNeighboursCommitted()
    {
        var user = await _database.SeedUserAsync(0);
        // The first step holds the writer until every other step is queued, so the others share one transaction.
        var (first, releaseFirst) = await HoldTheWriterAsync(user.Id);
        var others = Enumerable.Range(1, 45).Select(i => Step(async (db, ct) =>
        {
            await CreditAsync(db, user.Id, i, ct);
            return (i % 3) switch
            {
                0 => TransactionOutcome<int>.RolledBack(-i),
                1 => throw new InvalidOperationException($"step {i} failed after writing"),
                _ => TransactionOutcome<int>.Committed(i),
            };
        })).ToList();
        releaseFirst.SetResult();

        await first;
        var results = new List<(int Index, int? Result, Exception? Error)>();
        for (var i = 0; i < others.Count; i++)
        {
            try { results.Add((i + 1, await others[i], null)); }
            catch (InvalidOperationException exception) { results.Add((i + 1, null, exception)); }
        }

        Assert.That(SqliteWriter.LargestBatch, Is.GreaterThanOrEqualTo(others.Count));
        Assert.Multiple(() =>
        {
            Assert.That(results.Where(r => r.Index % 3 == 0).Select(r => r.Result), Is.EqualTo(results.Where(r => r.Index % 3 == 0).Select(r => (int?)-r.Index)));
            Assert.That(results.Where(r => r.Index % 3 == 1).Select(r => r.Error?.Message),
                Is.EqualTo(results.Where(r => r.Index % 3 == 1).Select(r => $"step {r.Index} failed after writing")));
            Assert.That(results.Where(r => r.Index % 3 == 2).Select(r => r.Result), Is.EqualTo(results.Where(r => r.Index % 3 == 2).Select(r => (int?)r.Index)));
        });
        var expected = 1000 + Enumerable.Range(1, 45).Where(i => i % 3 == 2).Sum();
        var points = await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync());
        Assert.That(points, Is.EqualTo(expected), "only the committed steps' credits may remain");
    }

    [Test]
    public async Task StartsOnAnIdleWriter_RunOnTheCaller_AndWaitWhileAnotherStepHoldsTheWriter()
    {
        var user = await _database.SeedUserAsync(100);
        var now = DateTime.UtcNow;
        // A first start brings the writer thread up; the next ones find it idle and run on their callers.
        for (var i = 0; i < 3; i++)
        {
            var alone = GenerationScenario.NewThread(user.Id, 5, now);
            Assert.That(await Repository(r => r.StartAsync(alone, CancellationToken.None)), Is.InstanceOf<GenerationStartResult.Started>());
        }

        // While a step holds the writer, a start must not use the connection beside it: it waits its turn.
        var (held, release) = await HoldTheWriterAsync(user.Id);
        var waiting = GenerationScenario.NewThread(user.Id, 5, now);
        var started = Repository(r => r.StartAsync(waiting, CancellationToken.None));
        await Task.Delay(200);
        Assert.That(started.IsCompleted, Is.False, "a start ran beside the step that holds the writer");

        release.SetResult();
        await held;
        Assert.That(await started, Is.InstanceOf<GenerationStartResult.Started>());
        var points = await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync());
        Assert.That(points, Is.EqualTo(100 + 1000 - 4 * 5));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    private async Task<T> Repository<T>(Func<IGenerationRepository, Task<T>> action) =>
        await _database.WithAsync(action);

    /// <summary>Queues a step that holds the writer until released, then credits 1,000 points; returns once it runs.</summary>
    private async Task<(Task<int> Step, TaskCompletionSource Release)> HoldTheWriterAsync(Guid userId)
    {
        var running = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var step = Step(async (db, ct) =>
        {
            running.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            await CreditAsync(db, userId, 1000, ct);
            return TransactionOutcome<int>.Committed(0);
        });
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (step, release);
    }

    private async Task<T> Step<T>(Func<StudyGuruDbContext, CancellationToken, Task<TransactionOutcome<T>>> step)
    {
        await using var scope = _database.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        return await db.InTransactionAsync(ct => step(db, ct), CancellationToken.None);
    }

    private static Task<int> CreditAsync(StudyGuruDbContext db, Guid userId, int points, CancellationToken ct) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.CurrentPoints, u => u.CurrentPoints + points)
            .SetProperty(u => u.TotalPointsEarned, u => u.TotalPointsEarned + points), ct);
}
