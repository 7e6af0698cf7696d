using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class AccountRepositoryTests
{
    private SqliteTestDatabase _database = null!;

    [SetUp]
    public async Task SetUp() => _database = await SqliteTestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _database.DisposeAsync();

    private Task<T> WithRepositoryAsync<T>(Func<IAccountRepository, Task<T>> action) => _database.WithAsync(action);

    [Test]
    public async Task ListTransactionsAsync_EntriesAtVariousTimes_ListsNewestFirst()
    {
        var user = await _database.SeedUserAsync(0);
        var midnight = new DateTime(2025, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc);
        // Inserted out of order; two share a timestamp and are then ordered by id, newest first.
        var times = new[] { midnight.AddDays(-40), midnight.AddMilliseconds(2), midnight, midnight.AddHours(-9), midnight.AddMilliseconds(2) };
        var entries = new List<PointsLedgerEntry>();
        foreach (var time in times)
            entries.Add(await _database.SeedAsync(PointsLedgerEntry.Create(user.Id, PointsTransactionType.Purchased, 1, "top-up", null, time)));
        var expected = entries.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).ToList();

        var firstPage = await WithRepositoryAsync(r => r.ListTransactionsAsync(user.Id, 1, 3, CancellationToken.None));
        var secondPage = await WithRepositoryAsync(r => r.ListTransactionsAsync(user.Id, 2, 3, CancellationToken.None));

        Assert.That(firstPage.Items.Concat(secondPage.Items).Select(e => e.Id), Is.EqualTo(expected));
        Assert.Multiple(() =>
        {
            Assert.That(firstPage.Items[0].CreatedAt, Is.EqualTo(midnight.AddMilliseconds(2)));
            Assert.That(firstPage.Items[0].CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(firstPage.Total, Is.EqualTo(5));
            Assert.That(firstPage.HasNextPage, Is.True);
            Assert.That(secondPage.HasNextPage, Is.False);
        });
    }

    [Test]
    public async Task CreditAsync_ExistingUser_AddsPointsAndOneLedgerEntry()
    {
        var user = await _database.SeedUserAsync(30);

        var credited = await WithRepositoryAsync(r => r.CreditAsync(user.Id, 50, PointsTransactionType.Purchased, "Top-up by operator", CancellationToken.None));

        Assert.That(credited, Is.True);
        var (account, entries) = await _database.QueryAsync(async db => (
            await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id),
            await db.PointsLedger.Where(e => e.Type == PointsTransactionType.Purchased).ToListAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(account.CurrentPoints, Is.EqualTo(80));
            Assert.That(account.TotalPointsEarned, Is.EqualTo(80));
            Assert.That(entries.Select(e => (e.Points, e.Description)), Is.EqualTo(new[] { (50, "Top-up by operator") }));
        });
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public async Task CreditAsync_UnknownUser_ReturnsFalseAndWritesNothing()
    {
        var credited = await WithRepositoryAsync(r => r.CreditAsync(Guid.CreateVersion7(), 5, PointsTransactionType.Purchased, "x", CancellationToken.None));

        Assert.That(credited, Is.False);
        Assert.That(await _database.QueryAsync(db => db.PointsLedger.CountAsync()), Is.Zero);
    }

    [Test]
    public async Task CreditAsync_ParallelCredits_AddsEveryOne()
    {
        var user = await _database.SeedUserAsync(0);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            WithRepositoryAsync(r => r.CreditAsync(user.Id, 3, PointsTransactionType.Purchased, "top-up", CancellationToken.None)))));

        Assert.That(await WithRepositoryAsync(r => r.GetCurrentPointsAsync(user.Id, CancellationToken.None)), Is.EqualTo(60));
        await _database.AssertPointsInvariantAsync(user.Id);
    }

    [Test]
    public void CreditAsync_UsedType_IsRefused()
    {
        Assert.That(() => WithRepositoryAsync(r => r.CreditAsync(Guid.CreateVersion7(), 5, PointsTransactionType.Used, "x", CancellationToken.None)),
            Throws.InstanceOf<DomainRuleException>());
    }

    [Test]
    public async Task FindByEmailAsync_DifferentCaseAndSpaces_FindsTheUser()
    {
        var user = await _database.SeedUserAsync(0, "Ada.Lovelace@Example.test");

        var found = await WithRepositoryAsync(r => r.FindByEmailAsync("  ada.lovelace@example.TEST ", CancellationToken.None));

        Assert.That(found?.Id, Is.EqualTo(user.Id));
    }

    [Test]
    public async Task SaveChanges_SameEmailInAnotherCase_IsRefusedByTheUniqueIndexAsAConflict()
    {
        await _database.SeedUserAsync(0, "ada@example.test");

        // The unique index is the backstop of a sign-up race: its violation is a 409, not a bare DbUpdateException.
        Assert.That(() => _database.SeedUserAsync(0, "ADA@example.test"),
            Throws.InstanceOf<StudyGuru.Application.Common.Errors.ConflictException>().With.Message.Contains("email"));
    }

    [Test]
    public async Task Add_UserWithSignupEntry_IsSavedByTheUnitOfWork()
    {
        var now = DateTime.UtcNow;
        var user = User.Register("new@example.test", "hash", null, null, now);
        var bonus = user.Credit(30, PointsTransactionType.Earned, "Signup bonus", now);
        await using (var scope = _database.CreateScope())
        {
            var services = scope.ServiceProvider;
            services.GetRequiredService<IAccountRepository>().Add(user, [bonus]);
            await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        Assert.That(await WithRepositoryAsync(r => r.ExistsAsync(user.Id, CancellationToken.None)), Is.True);
        Assert.That(await WithRepositoryAsync(r => r.GetCurrentPointsAsync(user.Id, CancellationToken.None)), Is.EqualTo(30));
        Assert.That(await _database.QueryAsync(db => db.PointsLedger.CountAsync(e => e.UserId == user.Id)), Is.EqualTo(1));
        var created = await _database.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id));
        Assert.That(created.CreatedAt, Is.EqualTo(now).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task GetCurrentPointsAsync_UnknownUser_ReturnsNull()
    {
        Assert.That(await WithRepositoryAsync(r => r.GetCurrentPointsAsync(Guid.CreateVersion7(), CancellationToken.None)), Is.Null);
    }
}
