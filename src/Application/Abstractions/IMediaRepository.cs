using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Abstractions;

public interface IMediaRepository
{
    /// <summary>The files among <paramref name="mediaIds"/> that exist and belong to <paramref name="userId"/>.</summary>
    Task<IReadOnlyList<MediaFile>> FindOwnedAsync(IReadOnlyCollection<Guid> mediaIds, Guid userId, CancellationToken cancellationToken);

    /// <summary>The file whoever owns it: only for access already proven another way (a signed URL).</summary>
    Task<MediaFile?> FindAsync(Guid mediaId, CancellationToken cancellationToken);

    void Add(MediaFile media);

    /// <summary>Deletes the record and marks the message links as removed.</summary>
    Task DeleteAsync(MediaFile media, CancellationToken cancellationToken);
}
