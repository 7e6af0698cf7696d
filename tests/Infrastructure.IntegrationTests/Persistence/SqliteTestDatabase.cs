using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Domain.Accounts;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>A real SQLite file in its own temp folder, migrated with the real migrations through the
/// app's own registration. Each scope is a separate DbContext, like separate requests.</summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServiceProvider _services;

    private SqliteTestDatabase(string directory, ServiceProvider services)
    {
        _directory = directory;
        _services = services;
    }

    public string FilePath => Path.Combine(_directory, "db", "studyguru.db");

    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "studyguru-persistence-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                // A subfolder that does not exist yet: migration must create it.
                ["ConnectionStrings:StudyGuru"] = $"Data Source={Path.Combine(directory, "db", "studyguru.db")};Default Timeout=30",
            })
            .Build();
        var services = new ServiceCollection().AddPersistence(configuration).BuildServiceProvider(validateScopes: true);
        await services.MigrateDatabaseAsync(CancellationToken.None);
        return new SqliteTestDatabase(directory, services);
    }

    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    /// <summary>Runs <paramref name="action"/> with a service of a fresh scope (a fresh DbContext).</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<TResult> QueryAsync<TResult>(Func<StudyGuruDbContext, Task<TResult>> query) =>
        WithAsync<StudyGuruDbContext, TResult>(query);

    public async Task<User> SeedUserAsync(int points, string? email = null)
    {
        var now = DateTime.UtcNow;
        var user = User.Register(email ?? $"{Guid.NewGuid():N}@example.test", "hash", "Ada", null, now);
        PointsLedgerEntry[] entries = points > 0 ? [user.Credit(points, PointsTransactionType.Earned, "Signup bonus", now)] : [];
        await using var scope = CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        db.Users.Add(user);
        db.PointsLedger.AddRange(entries);
        await db.SaveChangesAsync();
        return user;
    }

    public async Task<T> SeedAsync<T>(T entity) where T : class
    {
        await using var scope = CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        db.Add(entity);
        await db.SaveChangesAsync();
        return entity;
    }

    /// <summary>CurrentPoints + held reservations = TotalPointsEarned - TotalPointsUsed.</summary>
    public async Task AssertPointsInvariantAsync(Guid userId)
    {
        var (user, held) = await QueryAsync(async db =>
        {
            var u = await db.Users.AsNoTracking().SingleAsync(x => x.Id == userId);
            var h = await db.PointsReservations
                .Where(r => r.UserId == userId && r.Status == ReservationStatus.Held)
                .SumAsync(r => r.Amount);
            return (u, h);
        });
        Assert.That(user.CurrentPoints, Is.GreaterThanOrEqualTo(0), "balance went negative");
        Assert.That(user.CurrentPoints + held, Is.EqualTo(user.TotalPointsEarned - user.TotalPointsUsed),
            $"invariant broken: current {user.CurrentPoints}, held {held}, earned {user.TotalPointsEarned}, used {user.TotalPointsUsed}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        // Pooled connections keep the file open; release them so that the folder can go.
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
