using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class LeaseExpiryTests
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

    private Task<T> WithRepositoryAsync<T>(Func<IGenerationRepository, Task<T>> action) =>
        _database.WithAsync(action);

    private async Task<GenerationStart> StartedAsync(GenerationStart start)
    {
        Assert.That(await WithRepositoryAsync(r => r.StartAsync(start, CancellationToken.None)), Is.TypeOf<GenerationStartResult.Started>());
        return start;
    }

    [Test]
    public async Task FindExpiredLeasesAsync_MixedReservations_ReturnsOnlyHeldOnesPastTheirLease()
    {
        var user = await _database.SeedUserAsync(100);
        var expired = await StartedAsync(GenerationScenario.NewThread(user.Id, 5, _now.AddMinutes(-5)));
        await StartedAsync(GenerationScenario.NewThread(user.Id, 5, _now));
        var settled = await StartedAsync(GenerationScenario.NewThread(user.Id, 5, _now.AddMinutes(-5)));
        await WithRepositoryAsync(r => r.SettleAsync(GenerationScenario.Settle(settled, 1, _now.AddMinutes(-4)), CancellationToken.None));

        var found = await WithRepositoryAsync(r => r.FindExpiredLeasesAsync(_now, 10, CancellationToken.None));

        Assert.That(found.Select(g => g.Id), Is.EquivalentTo(new[] { expired.Generation.Id }));
    }

    [Test]
    public async Task FindExpiredLeasesAsync_MoreThanMax_ReturnsTheOldestLeasesFirst()
    {
        var user = await _database.SeedUserAsync(100);
        var oldest = await StartedAsync(GenerationScenario.NewThread(user.Id, 1, _now.AddMinutes(-30)));
        var older = await StartedAsync(GenerationScenario.NewThread(user.Id, 1, _now.AddMinutes(-20)));
        await StartedAsync(GenerationScenario.NewThread(user.Id, 1, _now.AddMinutes(-10)));

        var found = await WithRepositoryAsync(r => r.FindExpiredLeasesAsync(_now, 2, CancellationToken.None));

        Assert.That(found.Select(g => g.Id), Is.EqualTo(new[] { oldest.Generation.Id, older.Generation.Id }));
    }

    [Test]
    public async Task SweepOfExpiredLeases_ReturnsEveryHeldPointAndClearsTheClaims()
    {
        var user = await _database.SeedUserAsync(30);
        var starts = new[]
        {
            await StartedAsync(GenerationScenario.NewThread(user.Id, 7, _now.AddMinutes(-3))),
            await StartedAsync(GenerationScenario.NewThread(user.Id, 11, _now.AddMinutes(-2))),
        };
        await _database.AssertPointsInvariantAsync(user.Id);

        foreach (var generation in await WithRepositoryAsync(r => r.FindExpiredLeasesAsync(_now, 10, CancellationToken.None)))
        {
            var start = starts.Single(s => s.Generation.Id == generation.Id);
            await WithRepositoryAsync(r => r.SettleAsync(GenerationScenario.Settle(start, 0, _now, leaseExpired: true), CancellationToken.None));
        }

        var (account, statuses, claims, answers) = await _database.QueryAsync(async db => (
            await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id),
            await db.PointsReservations.Select(r => r.Status).ToListAsync(),
            await db.Interactions.CountAsync(i => i.ActiveGenerationId != null),
            await db.Messages.Where(m => m.Role == MessageRole.Assistant).Select(m => m.Status).ToListAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(account.CurrentPoints, Is.EqualTo(30));
            Assert.That(account.TotalPointsUsed, Is.Zero);
            Assert.That(statuses, Is.EqualTo(new[] { ReservationStatus.Expired, ReservationStatus.Expired }));
            Assert.That(claims, Is.Zero);
            Assert.That(answers, Is.EqualTo(new[] { MessageStatus.Failed, MessageStatus.Failed }));
        });
        Assert.That(await WithRepositoryAsync(r => r.FindExpiredLeasesAsync(_now, 10, CancellationToken.None)), Is.Empty);
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task SettleAsync_LeaseExpiredWithACharge_StillChargesNothing()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 10, _now));

        var balance = await WithRepositoryAsync(r => r.SettleAsync(GenerationScenario.Settle(start, 4, _now, leaseExpired: true), CancellationToken.None));

        Assert.That(balance, Is.EqualTo(30));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task RenewLeaseAsync_HeldReservation_ExtendsTheLease()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 3, _now.AddMinutes(-5)));

        var renewed = await WithRepositoryAsync(r => r.RenewLeaseAsync(start.Generation.Id, _now.AddMinutes(1), CancellationToken.None));

        Assert.That(renewed, Is.True);
        Assert.That(await WithRepositoryAsync(r => r.FindExpiredLeasesAsync(_now, 10, CancellationToken.None)), Is.Empty);
    }

    [Test]
    public async Task RenewLeaseAsync_SettledReservation_ReturnsFalse()
    {
        var user = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(user.Id, 3, _now));
        await WithRepositoryAsync(r => r.SettleAsync(GenerationScenario.Settle(start, 1, _now), CancellationToken.None));

        Assert.That(await WithRepositoryAsync(r => r.RenewLeaseAsync(start.Generation.Id, _now.AddMinutes(1), CancellationToken.None)), Is.False);
        Assert.That(await WithRepositoryAsync(r => r.RenewLeaseAsync(Guid.CreateVersion7(), _now.AddMinutes(1), CancellationToken.None)), Is.False);
    }

    [Test]
    public async Task FindOwnedAsync_AnotherUsersGeneration_ReturnsNull()
    {
        var ada = await _database.SeedUserAsync(30);
        var bob = await _database.SeedUserAsync(30);
        var start = await StartedAsync(GenerationScenario.NewThread(ada.Id, 3, _now));

        var own = await WithRepositoryAsync<Generation?>(r => r.FindOwnedAsync(start.Generation.Id, ada.Id, CancellationToken.None));
        var foreign = await WithRepositoryAsync<Generation?>(r => r.FindOwnedAsync(start.Generation.Id, bob.Id, CancellationToken.None));

        Assert.That(own?.Id, Is.EqualTo(start.Generation.Id));
        Assert.That(foreign, Is.Null);
    }
}
