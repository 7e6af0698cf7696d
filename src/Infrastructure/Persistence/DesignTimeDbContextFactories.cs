using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build each context without starting the app. Adding a migration,
/// checking for pending model changes and scripting never open these connections.</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteStudyGuruDbContext>
{
    public SqliteStudyGuruDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteStudyGuruDbContext>();
        options.UseStudyGuruSqlite(DatabaseProviderOptions.DefaultSqliteConnectionString);
        return new SqliteStudyGuruDbContext(options.Options);
    }
}

internal sealed class SqlServerDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqlServerStudyGuruDbContext>
{
    private const string PlaceholderConnectionString =
        "Server=localhost;Database=StudyGuru;Integrated Security=true;TrustServerCertificate=true";

    public SqlServerStudyGuruDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqlServerStudyGuruDbContext>();
        options.UseStudyGuruSqlServer(PlaceholderConnectionString, retryOnFailure: false);
        return new SqlServerStudyGuruDbContext(options.Options);
    }
}
