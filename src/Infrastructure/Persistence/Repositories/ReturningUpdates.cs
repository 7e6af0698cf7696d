using Microsoft.EntityFrameworkCore;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// The conditional updates of a start and a settlement that also report the row's new values, in one
/// statement each: <c>RETURNING</c> on SQLite, <c>OUTPUT INSERTED</c> on SQL Server. Before, each update was
/// followed by a read of the balance (or preceded by a read of the reservation) inside the write transaction,
/// where every statement holds up every other writer (docs/performance.md). The conditions are the same as
/// before: a balance only goes down when it covers the amount, a reservation closes only while it is held.
/// The texts are constants run through <see cref="RelationalStatements"/> (not <c>SqlQuery</c>, whose query
/// pipeline allocated several times more than the command itself: docs/performance.md).
/// </summary>
internal static class ReturningUpdates
{
    private const string ReserveSqlServer = """
        UPDATE [Users] SET [CurrentPoints] = [CurrentPoints] - @p0
        OUTPUT INSERTED.[CurrentPoints]
        WHERE [Id] = @p1 AND [CurrentPoints] >= @p0
        """;

    private const string ReserveSqlite = """
        UPDATE "Users" SET "CurrentPoints" = "CurrentPoints" - @p0
        WHERE "Id" = @p1 AND "CurrentPoints" >= @p0
        RETURNING "CurrentPoints"
        """;

    private const string CloseSqlServer = """
        UPDATE [PointsReservations]
        SET [Status] = @p0, [ChargedPoints] = CASE WHEN [Amount] < @p1 THEN [Amount] ELSE @p1 END, [ClosedAt] = @p2
        OUTPUT INSERTED.[Amount]
        WHERE [Id] = @p3 AND [Status] = @p4
        """;

    private const string CloseSqlite = """
        UPDATE "PointsReservations"
        SET "Status" = @p0, "ChargedPoints" = CASE WHEN "Amount" < @p1 THEN "Amount" ELSE @p1 END, "ClosedAt" = @p2
        WHERE "Id" = @p3 AND "Status" = @p4
        RETURNING "Amount"
        """;

    private const string ReturnAndChargeSqlServer = """
        UPDATE [Users] SET [CurrentPoints] = [CurrentPoints] + @p0, [TotalPointsUsed] = [TotalPointsUsed] + @p1
        OUTPUT INSERTED.[CurrentPoints]
        WHERE [Id] = @p2
        """;

    private const string ReturnAndChargeSqlite = """
        UPDATE "Users" SET "CurrentPoints" = "CurrentPoints" + @p0, "TotalPointsUsed" = "TotalPointsUsed" + @p1
        WHERE "Id" = @p2
        RETURNING "CurrentPoints"
        """;

    /// <returns>The balance after taking <paramref name="amount"/>, or null when it did not cover it.</returns>
    public static Task<int?> ReserveAsync(StudyGuruDbContext db, Guid userId, int amount, CancellationToken ct) =>
        RelationalStatements.ReadIntAsync(db, db.RunsOnSqlite ? ReserveSqlite : ReserveSqlServer, [amount, userId], ct);

    /// <summary>Closes a held reservation, charging at most its amount.</summary>
    /// <returns>The reservation's amount, or null when it was not held (settled or swept already).</returns>
    public static Task<int?> CloseReservationAsync(
        StudyGuruDbContext db, Guid generationId, ReservationStatus closedAs, int charge, DateTime now, CancellationToken ct) =>
        RelationalStatements.ReadIntAsync(db, db.RunsOnSqlite ? CloseSqlite : CloseSqlServer,
            [closedAs.ToString(), charge, now, generationId, nameof(ReservationStatus.Held)], ct);

    /// <returns>The balance after giving back <paramref name="returned"/> and counting <paramref name="charged"/> as used.</returns>
    public static async Task<int> ReturnAndChargeAsync(StudyGuruDbContext db, Guid userId, int returned, int charged, CancellationToken ct) =>
        await RelationalStatements.ReadIntAsync(db, db.RunsOnSqlite ? ReturnAndChargeSqlite : ReturnAndChargeSqlServer,
            [returned, charged, userId], ct) ?? 0;
}
