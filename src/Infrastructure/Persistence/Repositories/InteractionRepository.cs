using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

internal sealed class InteractionRepository(StudyGuruDbContext db, TimeProvider clock) : IInteractionRepository
{
    public Task<Interaction?> FindOwnedAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken) =>
        db.Interactions.SingleOrDefaultAsync(i => i.Id == interactionId && i.UserId == userId, cancellationToken);

    public async Task<Page<Interaction>> ListAsync(Guid userId, int page, int size, CancellationToken cancellationToken)
    {
        var owned = db.Interactions.AsNoTracking().Where(i => i.UserId == userId);
        var total = await owned.CountAsync(cancellationToken);
        var skip = (Math.Max(page, 1) - 1) * size;
        var items = await owned
            .OrderByDescending(i => i.IsPinned)
            .ThenByDescending(i => i.LastMessageAt)
            .ThenByDescending(i => i.Id)
            .Skip(skip)
            .Take(size)
            .ToListAsync(cancellationToken);
        return Page<Interaction>.From(total, skip, items);
    }

    public Task<bool> HasMessagesAsync(Guid interactionId, CancellationToken cancellationToken) =>
        db.Messages.AnyAsync(m => m.InteractionId == interactionId, cancellationToken);

    public async Task<IReadOnlyList<Message>> GetRecentMessagesAsync(Guid interactionId, int count, CancellationToken cancellationToken)
    {
        // Superseded answers are never part of the history, so they do not take places in the window either.
        var newestFirst = await NewestFirst(interactionId)
            .Where(m => m.Status != MessageStatus.Superseded)
            .Take(count).ToListAsync(cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<Page<Message>> ListMessagesAsync(Guid interactionId, int limit, int offset, CancellationToken cancellationToken)
    {
        var total = await db.Messages.CountAsync(m => m.InteractionId == interactionId, cancellationToken);
        var items = await NewestFirst(interactionId).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return Page<Message>.From(total, offset, items);
    }

    // The id breaks ties between messages written in the same instant (version 7 ids grow with time).
    private IQueryable<Message> NewestFirst(Guid interactionId) =>
        db.Messages.AsNoTracking()
            .Include(m => m.Media)
            .Where(m => m.InteractionId == interactionId)
            .OrderByDescending(m => m.CreatedAt)
            .ThenByDescending(m => m.Id)
            .AsSplitQuery();

    public async Task<IReadOnlyList<string>> DeleteAsync(Guid interactionId, CancellationToken cancellationToken)
    {
        var storageKeys = await db.InTransactionAsync(async ct =>
        {
            var owner = await db.Interactions.AsNoTracking()
                .Where(i => i.Id == interactionId)
                .Select(i => (Guid?)i.UserId)
                .SingleOrDefaultAsync(ct);
            if (owner is not { } userId) return TransactionOutcome<IReadOnlyList<string>>.RolledBack([]);

            var orphanedMedia = OrphanedMedia(interactionId, userId);
            var keys = await orphanedMedia.Select(m => m.StorageKey).ToListAsync(ct);
            await orphanedMedia.ExecuteDeleteAsync(ct);

            await ReleaseReservationsAsync(interactionId, ct);

            // The database cascades to messages, their media links and generations.
            await db.Interactions.Where(i => i.Id == interactionId).ExecuteDeleteAsync(ct);
            return TransactionOutcome<IReadOnlyList<string>>.Committed(keys);
        }, cancellationToken);

        if (db.Interactions.Local.FindEntry(interactionId) is { } tracked) tracked.State = EntityState.Detached;
        return storageKeys;
    }

    /// <summary>The owner's files carried by this thread's messages or uploaded for it, that no message
    /// of another thread carries.</summary>
    private IQueryable<MediaFile> OrphanedMedia(Guid interactionId, Guid userId)
    {
        var thisThreadsMessages = db.Messages.Where(m => m.InteractionId == interactionId).Select(m => m.Id);
        var otherThreadsMessages = db.Messages.Where(m => m.InteractionId != interactionId).Select(m => m.Id);
        return db.MediaFiles.Where(f =>
            f.UserId == userId
            && (f.InteractionId == interactionId
                || db.MessageMedia.Any(l => l.MediaId == f.Id && thisThreadsMessages.Contains(l.MessageId)))
            && !db.MessageMedia.Any(l => l.MediaId == f.Id && otherThreadsMessages.Contains(l.MessageId)));
    }

    /// <summary>
    /// A reservation still held here would outlive its generation row, and the sweep (which finds
    /// expired leases through their generations) could never return it: its points are returned now.
    /// Its owner then finds the reservation gone when it settles, and charges nothing.
    /// </summary>
    private async Task ReleaseReservationsAsync(Guid interactionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var held = await db.PointsReservations.AsNoTracking()
            .Where(r => r.InteractionId == interactionId && r.Status == ReservationStatus.Held)
            .Select(r => new { r.Id, r.UserId, r.Amount })
            .ToListAsync(ct);
        foreach (var reservation in held)
        {
            // Conditional, like a settlement: if the owner settled it meanwhile, it is not returned twice.
            var expired = await db.PointsReservations
                .Where(r => r.Id == reservation.Id && r.Status == ReservationStatus.Held)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, ReservationStatus.Expired)
                    .SetProperty(r => r.ClosedAt, now), ct);
            if (expired == 0) continue;
            await db.Users
                .Where(u => u.Id == reservation.UserId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentPoints, u => u.CurrentPoints + reservation.Amount), ct);
        }
        await db.PointsReservations.Where(r => r.InteractionId == interactionId).ExecuteDeleteAsync(ct);
    }

    public async Task<bool> TrySetGeneratedTitlesAsync(
        Guid interactionId, string title, string summaryTitle, DateTime now, CancellationToken cancellationToken)
    {
        var updated = await db.Interactions
            .Where(i => i.Id == interactionId && !i.TitleSetByUser)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Title, title)
                .SetProperty(i => i.SummaryTitle, summaryTitle)
                .SetProperty(i => i.UpdatedAt, now), cancellationToken);
        if (updated == 0) return false;
        await db.RefreshIfTrackedAsync<Interaction>(interactionId, cancellationToken);
        return true;
    }
}
