using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Interactions;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class GenerationRepositorySettleTests
{
    private SqliteTestDatabase _database = null!;
    private DateTime _now;

    [SetUp]
    public async Task SetUp()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        _now = DateTime.UtcNow;
    }

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    private async Task<GenerationStart> StartedAsync(GenerationStart start)
    {
        var result = await _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));
        Assert.That(result, Is.TypeOf<GenerationStartResult.Started>());
        return start;
    }

    private Task<int?> SettleAsync(ScenarioSettlement settlement) =>
        _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(settlement, CancellationToken.None));

    private Task<T> QueryAsync<T>(Func<StudyGuruDbContext, Task<T>> query) => _database.QueryAsync(query);

    [Test]
    public async Task SettleAsync_ChargeBelowReserve_ChargesItReturnsTheRestAndRecordsTheAnswer()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 10, _now));

        var balance = await SettleAsync(GenerationScenario.Settle(start, 4, _now.AddSeconds(3)));

        Assert.That(balance, Is.EqualTo(26));
        var (account, used, reservation, generation, interaction, answer) = await QueryAsync(async db => (
            await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id),
            await db.PointsLedger.Where(e => e.UserId == user.Id && e.Type == PointsTransactionType.Used).ToListAsync(),
            await db.PointsReservations.SingleAsync(r => r.Id == start.Generation.Id),
            await db.Generations.SingleAsync(g => g.Id == start.Generation.Id),
            await db.Interactions.SingleAsync(i => i.Id == start.InteractionId),
            await db.Messages.SingleAsync(m => m.InteractionId == start.InteractionId && m.Role == MessageRole.Assistant)));
        Assert.Multiple(() =>
        {
            Assert.That(account.CurrentPoints, Is.EqualTo(26));
            Assert.That(account.TotalPointsUsed, Is.EqualTo(4));
            Assert.That(used, Has.Count.EqualTo(1));
            Assert.That(used[0].Points, Is.EqualTo(4));
            Assert.That(used[0].InteractionId, Is.EqualTo(start.InteractionId));
            Assert.That(reservation.Status, Is.EqualTo(ReservationStatus.Settled));
            Assert.That(reservation.ChargedPoints, Is.EqualTo(4));
            Assert.That(reservation.ClosedAt, Is.Not.Null);
            Assert.That(generation.HasEnded, Is.True);
            Assert.That(generation.FirstEventJson, Is.EqualTo("""{"type":"metadata"}"""));
            Assert.That(generation.TerminalEventJson, Is.EqualTo("""{"type":"complete","points_balance":26}"""));
            Assert.That(generation.TerminalSequence, Is.EqualTo(7));
            Assert.That(generation.EndedAt, Is.EqualTo(_now.AddSeconds(3)).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(interaction.ActiveGenerationId, Is.Null);
            Assert.That(interaction.LastMessageAt, Is.EqualTo(_now.AddSeconds(3)).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(answer.GenerationId, Is.EqualTo(start.Generation.Id));
            Assert.That(answer.Status, Is.EqualTo(MessageStatus.Completed));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_ChargeAboveReserve_ChargesOnlyWhatWasReserved()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 6, _now));

        var balance = await SettleAsync(GenerationScenario.Settle(start, 9, _now));

        Assert.That(balance, Is.EqualTo(24));
        var (account, used) = await QueryAsync(async db => (
            await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id),
            await db.PointsLedger.Where(e => e.Type == PointsTransactionType.Used).SumAsync(e => e.Points)));
        Assert.Multiple(() =>
        {
            Assert.That(account.TotalPointsUsed, Is.EqualTo(6));
            Assert.That(used, Is.EqualTo(6));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_NothingCharged_ReturnsEveryPointAndWritesNoLedgerEntry()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 8, _now));

        var balance = await SettleAsync(GenerationScenario.Settle(start, 0, _now));

        Assert.That(balance, Is.EqualTo(30));
        Assert.That(await QueryAsync(db => db.PointsLedger.CountAsync(e => e.Type == PointsTransactionType.Used)), Is.Zero);
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_FallbackTitles_AreWrittenOnlyWhereTheThreadHasNoTitle()
    {
        var user = await _database.SeedUserAsync(30);
        var untitled = await StartedAsync(GenerationScenario.NewThread(user.Id, 1, _now));
        var renamedThread = Interaction.Start(user.Id, _now);
        renamedThread.Rename("My algebra", _now);
        await _database.SeedAsync(renamedThread);
        var renamed = await StartedAsync(GenerationScenario.InThread(user.Id, renamedThread.Id, 1, _now));
        var titles = Interaction.FallbackTitles("What is 12*(3+4)?");

        await SettleAsync(GenerationScenario.Settle(untitled, 1, _now, titles));
        await SettleAsync(GenerationScenario.Settle(renamed, 1, _now, titles));

        var threads = await QueryAsync(db => db.Interactions.AsNoTracking().ToDictionaryAsync(i => i.Id));
        Assert.Multiple(() =>
        {
            Assert.That(threads[untitled.InteractionId].Title, Is.EqualTo("What is 12*(3+4)?"));
            Assert.That(threads[untitled.InteractionId].SummaryTitle, Is.EqualTo("Help with what is 12*(3+4)?"));
            Assert.That(threads[renamedThread.Id].Title, Is.EqualTo("My algebra"));
            Assert.That(threads[renamedThread.Id].SummaryTitle, Is.Null);
        });
    }

    [Test]
    public async Task SettleAsync_SecondSettlement_ReturnsNullAndChangesNothing()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 10, _now));
        await SettleAsync(GenerationScenario.Settle(start, 4, _now));
        var before = await SnapshotAsync(user.Id);

        var second = await SettleAsync(GenerationScenario.Settle(start, 4, _now.AddSeconds(1)));

        Assert.That(second, Is.Null);
        Assert.That(await SnapshotAsync(user.Id), Is.EqualTo(before));
    }

    [Test]
    public async Task SettleAsync_AfterTheLeaseExpired_ReturnsNullAndChargesNothing()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 10, _now));
        Assert.That(await SettleAsync(GenerationScenario.Settle(start, 0, _now, leaseExpired: true)), Is.EqualTo(30));
        var before = await SnapshotAsync(user.Id);

        var ownerSettlement = await SettleAsync(GenerationScenario.Settle(start, 4, _now.AddSeconds(1)));

        Assert.That(ownerSettlement, Is.Null);
        Assert.That(await SnapshotAsync(user.Id), Is.EqualTo(before));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_ClaimAlreadyTakenOver_LeavesTheOtherGenerationsClaim()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 2, _now));
        var otherGeneration = Guid.CreateVersion7();
        await QueryAsync(db => db.Interactions.Where(i => i.Id == start.InteractionId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ActiveGenerationId, otherGeneration)));

        await SettleAsync(GenerationScenario.Settle(start, 1, _now));

        Assert.That(await QueryAsync(db => db.Interactions.Where(i => i.Id == start.InteractionId).Select(i => i.ActiveGenerationId).SingleAsync()),
            Is.EqualTo(otherGeneration));
    }

    /// <summary>Everything a settlement may touch, compared as one value.</summary>
    private Task<string> SnapshotAsync(Guid userId) => QueryAsync(async db =>
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        var ledger = await db.PointsLedger.CountAsync();
        var messages = await db.Messages.CountAsync();
        var reservations = string.Join(",", (await db.PointsReservations.AsNoTracking().ToListAsync())
            .OrderBy(r => r.Id).Select(r => $"{r.Status}:{r.ChargedPoints}:{r.ClosedAt:O}"));
        var generations = string.Join(",", (await db.Generations.AsNoTracking().ToListAsync())
            .OrderBy(g => g.Id).Select(g => $"{g.TerminalEventJson}:{g.EndedAt:O}"));
        var interactions = string.Join(",", (await db.Interactions.AsNoTracking().ToListAsync())
            .OrderBy(i => i.Id).Select(i => $"{i.ActiveGenerationId}:{i.LastMessageAt:O}:{i.Title}"));
        return $"{user.CurrentPoints}/{user.TotalPointsUsed}/{ledger}/{messages}/{reservations}/{generations}/{interactions}";
    });
}
