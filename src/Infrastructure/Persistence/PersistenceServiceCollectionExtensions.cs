using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Persistence.Repositories;

namespace StudyGuru.Infrastructure.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "StudyGuru";

    /// <summary>
    /// Registers the provider's context (also as <see cref="StudyGuruDbContext"/> and <see cref="IUnitOfWork"/>)
    /// and the repositories, all scoped. <c>Database:Provider</c> is <c>Sqlite</c> (default) or <c>SqlServer</c>;
    /// the connection string is <c>ConnectionStrings:StudyGuru</c>.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[ProviderKey] ?? DatabaseProvider.Sqlite;
        var connectionString = configuration.GetConnectionString(ConnectionStringName);

        if (string.Equals(provider, DatabaseProvider.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var sqlite = string.IsNullOrWhiteSpace(connectionString)
                ? DatabaseProviderOptions.DefaultSqliteConnectionString
                : connectionString;
            // Pooled: a request or a generation's scope rents a reset context instead of building one
            // (its service scope, change tracker and state manager) each time (docs/performance.md).
            services.AddDbContextPool<SqliteStudyGuruDbContext>(options => options.UseStudyGuruSqlite(sqlite));
            services.AddScoped<StudyGuruDbContext>(sp => sp.GetRequiredService<SqliteStudyGuruDbContext>());
        }
        else if (string.Equals(provider, DatabaseProvider.SqlServer, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException($"{ProviderKey}=SqlServer needs ConnectionStrings:{ConnectionStringName}.");
            // Retries transient faults; repositories therefore run their transactions inside the
            // execution strategy (see DatabaseTransactions).
            services.AddDbContextPool<SqlServerStudyGuruDbContext>(options =>
                options.UseStudyGuruSqlServer(connectionString, retryOnFailure: true));
            services.AddScoped<StudyGuruDbContext>(sp => sp.GetRequiredService<SqlServerStudyGuruDbContext>());
        }
        else
        {
            throw new InvalidOperationException(
                $"{ProviderKey} must be {DatabaseProvider.Sqlite} or {DatabaseProvider.SqlServer}, not '{provider}'.");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<StudyGuruDbContext>());
        services.AddScoped<IAccountRepository, AccountRepository>();
        services.AddScoped<IInteractionRepository, InteractionRepository>();
        services.AddScoped<IChatRepository, ChatRepository>();
        services.AddScoped<IGenerationRepository, GenerationRepository>();
        services.AddScoped<IMediaRepository, MediaRepository>();
        return services;
    }

    /// <summary>
    /// Applies pending migrations at start-up. Safe with several instances starting together:
    /// EF 10 takes a migration lock on SQL Server (and a lock table on SQLite).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StudyGuruDbContext>();
        if (db.Database.IsSqlite())
        {
            CreateSqliteDirectory(db.Database.GetConnectionString());
            // WAL lets readers work while one writer holds the lock; the mode is stored in the file, so once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await db.Database.MigrateAsync(ct);
    }

    private static void CreateSqliteDirectory(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
            return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}
