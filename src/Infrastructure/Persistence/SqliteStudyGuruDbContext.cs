using Microsoft.EntityFrameworkCore;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>The embedded default (and the test database); migrations in Migrations/Sqlite.</summary>
public sealed class SqliteStudyGuruDbContext(DbContextOptions<SqliteStudyGuruDbContext> options)
    : StudyGuruDbContext(options);
