using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Persistence;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

[TestFixture]
public sealed class PersistenceSetupTests
{
    [Test]
    public async Task MigrateDatabaseAsync_NewSqliteFileInAMissingFolder_CreatesItMigratedAndInWalMode()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();

        var (journalMode, pending) = await database.QueryAsync(async db => (
            await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync(),
            (await db.Database.GetPendingMigrationsAsync()).Count()));

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(database.FilePath), Is.True);
            Assert.That(journalMode, Is.EqualTo("wal"));
            Assert.That(pending, Is.Zero);
        });
    }

    [Test]
    public async Task AddPersistence_Sqlite_ResolvesTheBaseContextUnitOfWorkAndProviderContextAsOneScopedInstance()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        await using var scope = database.CreateScope();
        var services = scope.ServiceProvider;

        Assert.That(services.GetRequiredService<StudyGuruDbContext>(), Is.SameAs(services.GetRequiredService<SqliteStudyGuruDbContext>()));
        Assert.That(services.GetRequiredService<IUnitOfWork>(), Is.SameAs(services.GetRequiredService<StudyGuruDbContext>()));
    }

    [Test]
    public void AddPersistence_SqlServer_RegistersItsContextWithARetryingStrategy()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:StudyGuru"] = "Server=127.0.0.1,1;Database=StudyGuru;User Id=sa;Password=x;TrustServerCertificate=true",
        }).Build();
        using var services = new ServiceCollection().AddPersistence(configuration).BuildServiceProvider();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();

        Assert.That(db, Is.TypeOf<SqlServerStudyGuruDbContext>());
        Assert.That(db.Database.CreateExecutionStrategy().RetriesOnFailure, Is.True);
    }

    [TestCase("Oracle")]
    public void AddPersistence_UnknownProvider_Throws(string provider)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider }).Build();

        Assert.That(() => new ServiceCollection().AddPersistence(configuration), Throws.InvalidOperationException);
    }
}
