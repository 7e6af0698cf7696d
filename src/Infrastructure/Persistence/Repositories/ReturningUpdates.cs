using Microsoft.EntityFrameworkCore;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// The conditional updates of a start and a settlement that also report the row's new values, in one
/// statement each: <c>RETURNING</c> on SQLite, <c>OUTPUT INSERTED</c> on SQL Server. Before, each update was
/// followed by a read of the balance (or preceded by a read of the reservation) inside the write transaction,
/// where every statement holds up every other writer (docs/performance.md). The conditions are the same as
/// before: a balance only goes down when it covers the amount, a reservation closes only while it is held.
/// </summary>
internal static class ReturningUpdates
{
    /// <returns>The balance after taking <paramref name="amount"/>, or null when it did not cover it.</returns>
    public static async Task<int?> ReserveAsync(StudyGuruDbContext db, Guid userId, int amount, CancellationToken ct)
    {
        var query = db.Database.IsSqlServer()
            ? db.Database.SqlQuery<int>($"""
                UPDATE [Users] SET [CurrentPoints] = [CurrentPoints] - {amount}
                OUTPUT INSERTED.[CurrentPoints] AS [Value]
                WHERE [Id] = {userId} AND [CurrentPoints] >= {amount}
                """)
            : db.Database.SqlQuery<int>($"""
                UPDATE "Users" SET "CurrentPoints" = "CurrentPoints" - {amount}
                WHERE "Id" = {userId} AND "CurrentPoints" >= {amount}
                RETURNING "CurrentPoints" AS "Value"
                """);
        return Single(await query.ToListAsync(ct));
    }

    /// <summary>Closes a held reservation, charging at most its amount.</summary>
    /// <returns>The reservation's amount, or null when it was not held (settled or swept already).</returns>
    public static async Task<int?> CloseReservationAsync(
        StudyGuruDbContext db, Guid generationId, ReservationStatus closedAs, int charge, DateTime now, CancellationToken ct)
    {
        var status = closedAs.ToString();
        var held = nameof(ReservationStatus.Held);
        var query = db.Database.IsSqlServer()
            ? db.Database.SqlQuery<int>($"""
                UPDATE [PointsReservations]
                SET [Status] = {status}, [ChargedPoints] = CASE WHEN [Amount] < {charge} THEN [Amount] ELSE {charge} END, [ClosedAt] = {now}
                OUTPUT INSERTED.[Amount] AS [Value]
                WHERE [Id] = {generationId} AND [Status] = {held}
                """)
            : db.Database.SqlQuery<int>($"""
                UPDATE "PointsReservations"
                SET "Status" = {status}, "ChargedPoints" = CASE WHEN "Amount" < {charge} THEN "Amount" ELSE {charge} END, "ClosedAt" = {now}
                WHERE "Id" = {generationId} AND "Status" = {held}
                RETURNING "Amount" AS "Value"
                """);
        return Single(await query.ToListAsync(ct));
    }

    /// <returns>The balance after giving back <paramref name="returned"/> and counting <paramref name="charged"/> as used.</returns>
    public static async Task<int> ReturnAndChargeAsync(StudyGuruDbContext db, Guid userId, int returned, int charged, CancellationToken ct)
    {
        var query = db.Database.IsSqlServer()
            ? db.Database.SqlQuery<int>($"""
                UPDATE [Users] SET [CurrentPoints] = [CurrentPoints] + {returned}, [TotalPointsUsed] = [TotalPointsUsed] + {charged}
                OUTPUT INSERTED.[CurrentPoints] AS [Value]
                WHERE [Id] = {userId}
                """)
            : db.Database.SqlQuery<int>($"""
                UPDATE "Users" SET "CurrentPoints" = "CurrentPoints" + {returned}, "TotalPointsUsed" = "TotalPointsUsed" + {charged}
                WHERE "Id" = {userId}
                RETURNING "CurrentPoints" AS "Value"
                """);
        return Single(await query.ToListAsync(ct)) ?? 0;
    }

    private static int? Single(List<int> values) => values.Count == 0 ? null : values[0];
}
