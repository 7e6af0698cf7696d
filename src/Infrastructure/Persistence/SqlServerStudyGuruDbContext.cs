using Microsoft.EntityFrameworkCore;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>Production; migrations in Migrations/SqlServer.</summary>
public sealed class SqlServerStudyGuruDbContext(DbContextOptions<SqlServerStudyGuruDbContext> options)
    : StudyGuruDbContext(options);
