using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// The one place where a write that raced into a unique index (two sign-ups with one email, two requests
/// with one idempotency key, two new threads with one chat id) becomes a 409 instead of a 500, on every
/// provider: whoever loses the race is told that the thing already exists.
/// </summary>
internal static class UniqueConstraintViolation
{
    /// <summary>SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (extended result codes).</summary>
    private static readonly int[] SqliteCodes = [2067, 1555];

    /// <summary>SQL Server: duplicate key in a unique index (2601) or a unique or primary key constraint (2627).</summary>
    private static readonly int[] SqlServerNumbers = [2601, 2627];

    public static bool Matches(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => SqliteCodes.Contains(sqlite.SqliteExtendedErrorCode),
        SqlException sqlServer => SqlServerNumbers.Contains(sqlServer.Number),
        _ => false,
    };

    /// <summary>The same test for a raw SQL command, which throws the provider's exception unwrapped.</summary>
    public static bool Matches(DbException exception) => exception switch
    {
        SqliteException sqlite => SqliteCodes.Contains(sqlite.SqliteExtendedErrorCode),
        SqlException sqlServer => SqlServerNumbers.Contains(sqlServer.Number),
        _ => false,
    };

    /// <summary>For a raw SQL command there are no entries: both providers name the refused row's table
    /// (SQLite: "UNIQUE constraint failed: Generations.UserId, ..."; SQL Server: "... in object 'dbo.Generations' ...").</summary>
    public static ConflictException ToConflict(DbException exception) => new(
        exception.Message.Contains("Generations", StringComparison.Ordinal) ? GenerationTaken
        : exception.Message.Contains("Interactions", StringComparison.Ordinal) ? InteractionTaken
        : SameRecord);

    private const string GenerationTaken = "Another request with this Idempotency-Key was accepted at the same moment; retry to attach to it.";
    private const string InteractionTaken = "Another request created this conversation at the same moment; retry to continue it.";
    private const string SameRecord = "Another request created the same record at the same moment; retry the request.";

    public static ConflictException ToConflict(DbUpdateException exception) =>
        new(exception.Entries.Select(e => e.Entity).FirstOrDefault() switch
        {
            User => "An account with this email already exists.",
            Generation => GenerationTaken,
            Interaction => InteractionTaken,
            _ => SameRecord,
        });
}
