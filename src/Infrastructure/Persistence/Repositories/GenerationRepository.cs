using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// Start and settlement of a generation, each one transaction of atomic conditional updates, so that
/// the rules hold across instances: one generation per interaction, a balance that never goes
/// negative, and <c>CurrentPoints + held reservations = TotalPointsEarned - TotalPointsUsed</c>.
/// </summary>
internal sealed class GenerationRepository(StudyGuruDbContext db) : IGenerationRepository
{
    internal const string UsedPointsDescription = "Answer in conversation";

    // A claim can miss because the running generation settled between the update and the look-up
    // (read committed on SQL Server); it is then tried again rather than reported as busy.
    private const int ClaimAttempts = 3;

    public async Task<GenerationStartResult> StartAsync(GenerationStart start, CancellationToken cancellationToken)
    {
        var generationId = start.Generation.Id;
        var userId = start.Generation.UserId;

        var result = await db.InTransactionAsync<GenerationStartResult>(async ct =>
        {
            // Checked first, inside the write transaction: a retry under the same key attaches to the
            // first generation before any 409 or 402 is considered (the unique index is the backstop).
            if (start.Generation.IdempotencyKey is { } key)
            {
                var existing = await db.Generations.AsNoTracking()
                    .Where(g => g.UserId == userId && g.IdempotencyKey == key)
                    .Select(g => (Guid?)g.Id)
                    .FirstOrDefaultAsync(ct);
                if (existing is { } taken)
                    return TransactionOutcome<GenerationStartResult>.RolledBack(new GenerationStartResult.IdempotencyKeyTaken(taken));
            }

            if (start.NewInteraction is null)
            {
                var busyWith = await ClaimAsync(start.InteractionId, generationId, start.Now, ct);
                if (busyWith is not null)
                    return TransactionOutcome<GenerationStartResult>.RolledBack(new GenerationStartResult.InteractionBusy(busyWith.Value));
            }

            var amount = start.Generation.ReservedPoints;
            if (await ReturningUpdates.ReserveAsync(db, userId, amount, ct) is not { } balance)
                return TransactionOutcome<GenerationStartResult>.RolledBack(
                    new GenerationStartResult.InsufficientPoints(await CurrentPointsAsync(userId, ct)));

            if (start.AnswerAgain is { } answeredAgain) await SupersedeAnswersAsync(start.InteractionId, answeredAgain, ct);
            // The rows in one command, without the change tracker (docs/performance.md, "third round").
            // A new thread is inserted already claimed, so no other request can start in it before this one commits.
            var rows = new SqlBatch();
            if (start.NewInteraction is { } interaction) rows.InsertInteraction(interaction, generationId);
            if (start.UserMessage is { } question) rows.InsertMessage(question);
            rows.InsertGeneration(start.Generation)
                .InsertReservation(start.Generation.HoldReservation(start.Now, start.Lease));
            await rows.ExecuteAsync(db, ct);
            return TransactionOutcome<GenerationStartResult>.Committed(new GenerationStartResult.Started(balance));
        }, cancellationToken, onCallerWhenIdle: true);

        await db.RefreshIfTrackedAsync<User>(userId, cancellationToken);
        if (start.NewInteraction is null) await db.RefreshIfTrackedAsync<Interaction>(start.InteractionId, cancellationToken);
        return result;
    }

    /// <summary>Marks every earlier answer to <paramref name="questionId"/> as superseded (they stay saved).</summary>
    private Task<int> SupersedeAnswersAsync(Guid interactionId, Guid questionId, CancellationToken ct)
    {
        var answering = db.Generations.Where(g => g.UserMessageId == questionId).Select(g => (Guid?)g.Id);
        return db.Messages
            .Where(m => m.InteractionId == interactionId && m.Role == MessageRole.Assistant
                && m.Status != MessageStatus.Superseded && answering.Contains(m.GenerationId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Superseded), ct);
    }

    /// <summary>Claims the interaction for <paramref name="generationId"/>; null when claimed, else the generation that holds it.</summary>
    private async Task<Guid?> ClaimAsync(Guid interactionId, Guid generationId, DateTime now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var claimed = await db.Database.ExecuteSqlAsync($"""
                UPDATE Interactions SET ActiveGenerationId = {generationId}, LastMessageAt = {now}, UpdatedAt = {now}
                WHERE Id = {interactionId} AND ActiveGenerationId IS NULL
                """, ct);
            if (claimed == 1) return null;

            var current = await db.Interactions.AsNoTracking()
                .Where(i => i.Id == interactionId)
                .Select(i => new { i.ActiveGenerationId })
                .SingleOrDefaultAsync(ct);
            if (current is null) throw new NotFoundException(NotFoundException.InteractionMessage);
            if (current.ActiveGenerationId is { } active) return active;
            if (attempt == ClaimAttempts)
                throw new InvalidOperationException($"Interaction {interactionId} could not be claimed although it looked free.");
        }
    }

    public Task<int?> SettleAsync(
        GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles, CancellationToken cancellationToken) =>
        SettleAsync(settlement, fallbackTitles, null, cancellationToken);

    public async Task<int?> SettleAsync(
        GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles, TerminalEventRecord? terminalEvent,
        CancellationToken cancellationToken)
    {
        var balanceAfter = await db.InTransactionAsync<int?>(async ct =>
        {
            // Whoever moves the reservation out of Held first (owner or sweep) is the only one that settles it.
            if (await ReturningUpdates.CloseReservationAsync(db, settlement.GenerationId, settlement.ClosesAs, settlement.ChargedPoints,
                    settlement.At, ct) is null)
                return TransactionOutcome<int?>.RolledBack(null);
            var balance = await ReturningUpdates.ReturnAndChargeAsync(db, settlement.UserId, settlement.ReturnedPoints, settlement.ChargedPoints, ct);

            // The rest in one command, without the change tracker (docs/performance.md, "third round").
            var rows = new SqlBatch();
            if (settlement.ChargedPoints > 0)
            {
                rows.InsertLedgerEntry(PointsLedgerEntry.Create(
                    settlement.UserId, PointsTransactionType.Used, settlement.ChargedPoints, UsedPointsDescription,
                    settlement.InteractionId, settlement.At));
            }
            rows.InsertMessage(settlement.Answer);
            ReleaseInteraction(rows, settlement, fallbackTitles);
            if (terminalEvent is { } terminal)
            {
                // Kept in the same transaction instead of a write of its own after it: the owner's data as given, and the
                // balance the update above returned, which the terminal event reports (a replay builds it from both).
                rows.Statement(
                    "UPDATE Generations SET HasEnded = 1, EndedAt = {0}, TerminalSequence = {1}, TerminalEventJson = {2}, TerminalPointsBalance = {3} WHERE Id = {4}",
                    settlement.At, terminal.Sequence, terminal.OutcomeJson, balance, settlement.GenerationId);
            }
            else
            {
                rows.Statement("UPDATE Generations SET HasEnded = 1, EndedAt = {0} WHERE Id = {1}", settlement.At, settlement.GenerationId);
            }
            await rows.ExecuteAsync(db, ct);
            return TransactionOutcome<int?>.Committed(balance);
        }, cancellationToken);

        await db.RefreshIfTrackedAsync<User>(settlement.UserId, cancellationToken);
        await db.RefreshIfTrackedAsync<Interaction>(settlement.InteractionId, cancellationToken);
        return balanceAfter;
    }

    /// <remarks>A transaction of its own, so that on SQLite it queues with the other writes on the writer thread
    /// (and shares their commit) instead of meeting their lock and the driver's sleeping busy retry.</remarks>
    public Task RecordTerminalEventAsync(Generation generation, CancellationToken cancellationToken)
    {
        var sequence = generation.TerminalSequence;
        var json = generation.TerminalEventJson;
        var balance = generation.TerminalPointsBalance;
        return db.InTransactionAsync(async ct => TransactionOutcome<int>.Committed(await db.Generations
            // Written once; again only when a settlement kept it under a sequence the buffer then did not give it.
            .Where(g => g.Id == generation.Id && g.HasEnded && (g.TerminalSequence == null || g.TerminalSequence != sequence))
            .ExecuteUpdateAsync(s => s
                .SetProperty(g => g.TerminalSequence, sequence)
                .SetProperty(g => g.TerminalEventJson, json)
                .SetProperty(g => g.TerminalPointsBalance, balance), ct)), cancellationToken);
    }

    /// <summary>Releases the claim (only if this generation still holds it) and writes the fallback
    /// titles (only where the thread has none yet), in one statement.</summary>
    private static void ReleaseInteraction(
        SqlBatch rows, GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles)
    {
        if (fallbackTitles is { } titles)
        {
            // Both read the row's old Title: SET expressions see the values before the update.
            rows.Statement("""
                UPDATE Interactions SET ActiveGenerationId = CASE WHEN ActiveGenerationId = {0} THEN NULL ELSE ActiveGenerationId END,
                LastMessageAt = {1}, UpdatedAt = {1},
                SummaryTitle = CASE WHEN Title IS NULL THEN {2} ELSE SummaryTitle END, Title = COALESCE(Title, {3})
                WHERE Id = {4}
                """, settlement.GenerationId, settlement.At, titles.SummaryTitle, titles.Title, settlement.InteractionId);
        }
        else
        {
            rows.Statement("""
                UPDATE Interactions SET ActiveGenerationId = CASE WHEN ActiveGenerationId = {0} THEN NULL ELSE ActiveGenerationId END,
                LastMessageAt = {1}, UpdatedAt = {1}
                WHERE Id = {2}
                """, settlement.GenerationId, settlement.At, settlement.InteractionId);
        }
    }

    public async Task<bool> RenewLeaseAsync(Guid generationId, DateTime leaseExpiresAt, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async ct => TransactionOutcome<int>.Committed(await db.PointsReservations
            .Where(r => r.Id == generationId && r.Status == ReservationStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, leaseExpiresAt), ct)), cancellationToken) == 1;

    public Task<bool> IsHeldAsync(Guid generationId, CancellationToken cancellationToken) =>
        db.PointsReservations.AsNoTracking().AnyAsync(r => r.Id == generationId && r.Status == ReservationStatus.Held, cancellationToken);

    public async Task<IReadOnlyList<Generation>> FindExpiredLeasesAsync(DateTime now, int max, CancellationToken cancellationToken) =>
        await db.PointsReservations.AsNoTracking()
            .Where(r => r.Status == ReservationStatus.Held && r.LeaseExpiresAt < now)
            .OrderBy(r => r.LeaseExpiresAt)
            .Join(db.Generations.AsNoTracking(), r => r.Id, g => g.Id, (_, g) => g)
            .Take(max)
            .ToListAsync(cancellationToken);

    public Task<Generation?> FindOwnedAsync(Guid generationId, Guid userId, CancellationToken cancellationToken) =>
        db.Generations.AsNoTracking()
            .SingleOrDefaultAsync(g => g.Id == generationId && g.UserId == userId, cancellationToken);

    public Task ForgetIdempotencyKeyAsync(Guid generationId, CancellationToken cancellationToken) =>
        db.Generations.Where(g => g.Id == generationId)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.IdempotencyKey, (string?)null), cancellationToken);

    public Task<Generation?> FindByIdempotencyKeyAsync(Guid userId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.Generations.AsNoTracking()
            .SingleOrDefaultAsync(g => g.UserId == userId && g.IdempotencyKey == idempotencyKey, cancellationToken);

    private async Task<int> CurrentPointsAsync(Guid userId, CancellationToken ct) =>
        await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => (int?)u.CurrentPoints)
            .SingleOrDefaultAsync(ct) ?? 0;
}
