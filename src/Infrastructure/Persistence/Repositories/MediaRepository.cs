using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

internal sealed class MediaRepository(StudyGuruDbContext db) : IMediaRepository
{
    public async Task<IReadOnlyList<MediaFile>> FindOwnedAsync(
        IReadOnlyCollection<Guid> mediaIds, Guid userId, CancellationToken cancellationToken)
    {
        if (mediaIds.Count == 0) return [];
        return await db.MediaFiles
            .Where(m => mediaIds.Contains(m.Id) && m.UserId == userId)
            .ToListAsync(cancellationToken);
    }

    public Task<MediaFile?> FindAsync(Guid mediaId, CancellationToken cancellationToken) =>
        db.MediaFiles.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mediaId, cancellationToken);

    public void Add(MediaFile media) => db.MediaFiles.Add(media);

    public async Task DeleteAsync(MediaFile media, CancellationToken cancellationToken)
    {
        var mediaId = media.Id;
        await db.InTransactionAsync(async ct =>
        {
            await db.MessageMedia
                .Where(l => l.MediaId == mediaId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Removed, true), ct);
            await db.MediaFiles.Where(m => m.Id == mediaId).ExecuteDeleteAsync(ct);
            return TransactionOutcome<bool>.Committed(true);
        }, cancellationToken);

        if (db.MediaFiles.Local.FindEntry(mediaId) is { } tracked) tracked.State = EntityState.Detached;
    }
}
