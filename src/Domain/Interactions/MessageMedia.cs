namespace StudyGuru.Domain.Interactions;

/// <summary>
/// A media file a message carried. It outlives the file: when the file is deleted the link stays
/// with <see cref="Removed"/> set, so the thread still shows that an image was there.
/// </summary>
public sealed class MessageMedia
{
    private MessageMedia() { }

    public Guid MessageId { get; private set; }
    public Guid MediaId { get; private set; }
    public string FileType { get; private set; } = "";
    public bool Removed { get; private set; }

    public static MessageMedia Link(Guid messageId, Guid mediaId, string fileType) =>
        new() { MessageId = messageId, MediaId = mediaId, FileType = fileType };

    public void MarkRemoved() => Removed = true;
}
