namespace StudyGuru.Domain.Media;

/// <summary>An uploaded image owned by one user; its bytes live in media storage under <see cref="StorageKey"/>.</summary>
public sealed class MediaFile
{
    private MediaFile() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid? InteractionId { get; private set; }
    public string FileType { get; private set; } = "";
    public long Size { get; private set; }
    public string StorageKey { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    public static MediaFile Upload(Guid userId, Guid? interactionId, string fileType, long size, DateTime now)
    {
        var id = Guid.CreateVersion7();
        return new MediaFile
        {
            Id = id,
            UserId = userId,
            InteractionId = interactionId,
            FileType = fileType,
            Size = size,
            StorageKey = $"{userId:N}/{id:N}",
            CreatedAt = now,
        };
    }
}
