using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class GenerationRepositoryStartTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    private Task<GenerationStartResult> StartAsync(GenerationStart start) =>
        _database.WithAsync<IGenerationRepository, GenerationStartResult>(r => r.StartAsync(start, CancellationToken.None));

    [Test]
    public async Task StartAsync_FiftyParallelStartsOnSmallBalance_StartsOnlyWhatTheBalancePays()
    {
        const int balance = 25, reserve = 3, attempts = 50;
        var user = await _database.SeedUserAsync(balance);
        var now = DateTime.UtcNow;

        var results = await Task.WhenAll(Enumerable.Range(0, attempts).Select(_ =>
            Task.Run(() => StartAsync(GenerationScenario.NewThread(user.Id, reserve, now)))));

        var started = results.OfType<GenerationStartResult.Started>().ToList();
        var refused = results.OfType<GenerationStartResult.InsufficientPoints>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(started, Has.Count.EqualTo(balance / reserve));
            Assert.That(refused, Has.Count.EqualTo(attempts - balance / reserve));
            Assert.That(refused.Select(r => r.CurrentPoints), Is.All.EqualTo(balance % reserve));
            Assert.That(started.Select(s => s.BalanceAfterReservation), Is.Unique.And.All.GreaterThanOrEqualTo(0));
        });
        var (current, interactions, messages) = await _database.QueryAsync(async db => (
            await db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync(),
            await db.Interactions.CountAsync(),
            await db.Messages.CountAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(current, Is.EqualTo(balance % reserve));
            Assert.That(interactions, Is.EqualTo(started.Count), "a refused start must leave no thread behind");
            Assert.That(messages, Is.EqualTo(started.Count));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_NewThread_InsertsItClaimedWithMessageGenerationAndHeldReservation()
    {
        var user = await _database.SeedUserAsync(30);
        var start = GenerationScenario.NewThread(user.Id, 10, DateTime.UtcNow);

        var result = await StartAsync(start);

        Assert.That(result, Is.EqualTo(new GenerationStartResult.Started(20)));
        var (interaction, reservation, generationExists, messageExists) = await _database.QueryAsync(async db => (
            await db.Interactions.SingleAsync(i => i.Id == start.InteractionId),
            await db.PointsReservations.SingleAsync(r => r.Id == start.Generation.Id),
            await db.Generations.AnyAsync(g => g.Id == start.Generation.Id),
            await db.Messages.AnyAsync(m => m.Id == start.UserMessage!.Id)));
        Assert.Multiple(() =>
        {
            Assert.That(interaction.ActiveGenerationId, Is.EqualTo(start.Generation.Id));
            Assert.That(reservation.Status, Is.EqualTo(ReservationStatus.Held));
            Assert.That(reservation.Amount, Is.EqualTo(10));
            Assert.That(reservation.LeaseExpiresAt, Is.EqualTo(start.Now + GenerationScenario.Lease).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(generationExists && messageExists, Is.True);
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_SecondStartInSameThread_ReturnsBusyWithFirstGenerationUntilSettled()
    {
        var user = await _database.SeedUserAsync(30);
        var now = DateTime.UtcNow;
        var first = GenerationScenario.NewThread(user.Id, 5, now);
        Assert.That(await StartAsync(first), Is.TypeOf<GenerationStartResult.Started>());

        var second = await StartAsync(GenerationScenario.InThread(user.Id, first.InteractionId, 5, now));

        Assert.That(second, Is.EqualTo(new GenerationStartResult.InteractionBusy(first.Generation.Id)));
        Assert.That(await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync()),
            Is.EqualTo(25), "a busy thread must not reserve points");

        await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(GenerationScenario.Settle(first, 2, now), CancellationToken.None));
        var third = GenerationScenario.InThread(user.Id, first.InteractionId, 5, now.AddSeconds(1));
        Assert.That(await StartAsync(third), Is.EqualTo(new GenerationStartResult.Started(23)));
        Assert.That(await _database.QueryAsync(db => db.Interactions.Where(i => i.Id == first.InteractionId).Select(i => i.ActiveGenerationId).SingleAsync()),
            Is.EqualTo(third.Generation.Id));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_InsufficientPointsInExistingThread_RollsBackTheClaim()
    {
        var user = await _database.SeedUserAsync(4);
        var now = DateTime.UtcNow;
        var first = GenerationScenario.NewThread(user.Id, 1, now);
        await StartAsync(first);
        await _database.WithAsync<IGenerationRepository, int?>(r => r.SettleAsync(GenerationScenario.Settle(first, 1, now), CancellationToken.None));

        var result = await StartAsync(GenerationScenario.InThread(user.Id, first.InteractionId, 10, now));

        Assert.That(result, Is.EqualTo(new GenerationStartResult.InsufficientPoints(3)));
        var (activeGeneration, messages) = await _database.QueryAsync(async db => (
            await db.Interactions.Where(i => i.Id == first.InteractionId).Select(i => i.ActiveGenerationId).SingleAsync(),
            await db.Messages.CountAsync(m => m.InteractionId == first.InteractionId)));
        Assert.Multiple(() =>
        {
            Assert.That(activeGeneration, Is.Null);
            Assert.That(messages, Is.EqualTo(2), "the refused question must not be saved");
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_IdempotencyKeyReused_ReportsTheFirstGenerationAndReservesNothing()
    {
        var user = await _database.SeedUserAsync(30);
        var now = DateTime.UtcNow;
        var first = GenerationScenario.NewThread(user.Id, 5, now, idempotencyKey: "key-1");
        await StartAsync(first);

        var retry = await StartAsync(GenerationScenario.NewThread(user.Id, 5, now, idempotencyKey: "key-1"));
        Assert.That(retry, Is.EqualTo(new GenerationStartResult.IdempotencyKeyTaken(first.Generation.Id)));

        var found = await _database.WithAsync<IGenerationRepository, Domain.Generations.Generation?>(
            r => r.FindByIdempotencyKeyAsync(user.Id, "key-1", CancellationToken.None));
        Assert.That(found?.Id, Is.EqualTo(first.Generation.Id));
        Assert.That(await _database.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentPoints).SingleAsync()),
            Is.EqualTo(25));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task StartAsync_SameKeyForAnotherUserOrNoKey_IsAllowed()
    {
        var ada = await _database.SeedUserAsync(30);
        var bob = await _database.SeedUserAsync(30);
        var now = DateTime.UtcNow;

        var results = new[]
        {
            await StartAsync(GenerationScenario.NewThread(ada.Id, 1, now, idempotencyKey: "shared")),
            await StartAsync(GenerationScenario.NewThread(bob.Id, 1, now, idempotencyKey: "shared")),
            await StartAsync(GenerationScenario.NewThread(ada.Id, 1, now)),
            await StartAsync(GenerationScenario.NewThread(ada.Id, 1, now)),
        };

        Assert.That(results, Is.All.TypeOf<GenerationStartResult.Started>());
    }

    [Test]
    public async Task BeginTransaction_OnSqlite_TakesTheWriteLockBeforeAnyStatement()
    {
        await using var scope = _database.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();

        // No statement runs inside: only BEGIN IMMEDIATE (not a deferred BEGIN) already holds the write lock.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await using var other = new SqliteConnection($"Data Source={_database.FilePath};Default Timeout=1;Pooling=False");
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;";

        var busy = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.That(busy!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
    }
}
