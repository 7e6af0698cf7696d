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

            if (start.NewInteraction is { } interaction)
            {
                db.Interactions.Add(interaction);
                // Inserted already claimed, so no other request can start in it before this one commits.
                db.Entry(interaction).Property(i => i.ActiveGenerationId).CurrentValue = generationId;
            }
            else
            {
                var busyWith = await ClaimAsync(start.InteractionId, generationId, start.Now, ct);
                if (busyWith is not null)
                    return TransactionOutcome<GenerationStartResult>.RolledBack(new GenerationStartResult.InteractionBusy(busyWith.Value));
            }

            var amount = start.Generation.ReservedPoints;
            if (await ReturningUpdates.ReserveAsync(db, userId, amount, ct) is not { } balance)
                return TransactionOutcome<GenerationStartResult>.RolledBack(
                    new GenerationStartResult.InsufficientPoints(await CurrentPointsAsync(userId, ct)));

            if (start.UserMessage is { } question) db.Messages.Add(question);
            if (start.AnswerAgain is { } answeredAgain) await SupersedeAnswersAsync(start.InteractionId, answeredAgain, ct);
            db.Generations.Add(start.Generation);
            db.PointsReservations.Add(start.Generation.HoldReservation(start.Now, start.Lease));
            await db.SaveChangesAsync(ct);
            return TransactionOutcome<GenerationStartResult>.Committed(new GenerationStartResult.Started(balance));
        }, cancellationToken);

        if (result is not GenerationStartResult.Started && start.NewInteraction is { } rolledBack)
            db.Entry(rolledBack).State = EntityState.Detached;
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
            var claimed = await db.Interactions
                .Where(i => i.Id == interactionId && i.ActiveGenerationId == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.ActiveGenerationId, generationId)
                    .SetProperty(i => i.LastMessageAt, now)
                    .SetProperty(i => i.UpdatedAt, now), ct);
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

    public async Task<int?> SettleAsync(
        GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles, CancellationToken cancellationToken)
    {
        var balanceAfter = await db.InTransactionAsync<int?>(async ct =>
        {
            // Whoever moves the reservation out of Held first (owner or sweep) is the only one that settles it.
            if (await ReturningUpdates.CloseReservationAsync(db, settlement.GenerationId, settlement.ClosesAs, settlement.ChargedPoints,
                    settlement.At, ct) is null)
                return TransactionOutcome<int?>.RolledBack(null);
            var balance = await ReturningUpdates.ReturnAndChargeAsync(db, settlement.UserId, settlement.ReturnedPoints, settlement.ChargedPoints, ct);

            if (settlement.ChargedPoints > 0)
            {
                db.PointsLedger.Add(PointsLedgerEntry.Create(
                    settlement.UserId, PointsTransactionType.Used, settlement.ChargedPoints, UsedPointsDescription,
                    settlement.InteractionId, settlement.At));
            }
            db.Messages.Add(settlement.Answer);
            await db.SaveChangesAsync(ct);

            await ReleaseInteractionAsync(settlement, fallbackTitles, ct);
            await db.Generations
                .Where(g => g.Id == settlement.GenerationId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(g => g.HasEnded, true)
                    .SetProperty(g => g.EndedAt, settlement.At), ct);

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
        return db.InTransactionAsync(async ct => TransactionOutcome<int>.Committed(await db.Generations
            .Where(g => g.Id == generation.Id && g.HasEnded && g.TerminalSequence == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(g => g.TerminalSequence, sequence)
                .SetProperty(g => g.TerminalEventJson, json), ct)), cancellationToken);
    }

    /// <summary>Releases the claim (only if this generation still holds it) and writes the fallback
    /// titles (only where the thread has none yet), in one statement.</summary>
    private Task ReleaseInteractionAsync(
        GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles, CancellationToken ct)
    {
        var generationId = settlement.GenerationId;
        var now = settlement.At;
        return db.Interactions
            .Where(i => i.Id == settlement.InteractionId)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(i => i.ActiveGenerationId, i => i.ActiveGenerationId == generationId ? null : i.ActiveGenerationId);
                s.SetProperty(i => i.LastMessageAt, now);
                s.SetProperty(i => i.UpdatedAt, now);
                if (fallbackTitles is { } titles)
                {
                    var (title, summaryTitle) = titles;
                    // Both read the row's old Title: SET expressions see the values before the update.
                    s.SetProperty(i => i.SummaryTitle, i => i.Title == null ? summaryTitle : i.SummaryTitle);
                    s.SetProperty(i => i.Title, i => i.Title ?? title);
                }
            }, ct);
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
