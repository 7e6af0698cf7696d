using Microsoft.EntityFrameworkCore;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// Provider options shared by the running app and the design-time factories, so that the migrations
/// are generated against exactly the model the app uses.
/// </summary>
internal static class DatabaseProviderOptions
{
    public const string DefaultSqliteConnectionString = "Data Source=data/studyguru.db;Default Timeout=30";

    public static DbContextOptionsBuilder UseStudyGuruSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite
                .MigrationsAssembly(typeof(SqliteStudyGuruDbContext).Assembly.FullName))
            .AddInterceptors(SqliteSynchronous);

    private static readonly SqliteSynchronousInterceptor SqliteSynchronous = new();

    public static DbContextOptionsBuilder UseStudyGuruSqlServer(
        this DbContextOptionsBuilder options, string connectionString, bool retryOnFailure) =>
        options.UseSqlServer(connectionString, sqlServer =>
        {
            sqlServer.MigrationsAssembly(typeof(SqlServerStudyGuruDbContext).Assembly.FullName);
            if (retryOnFailure) sqlServer.EnableRetryOnFailure();
        });
}
