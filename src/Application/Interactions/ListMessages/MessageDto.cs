namespace StudyGuru.Application.Interactions.ListMessages;

/// <param name="Role">user or assistant.</param>
/// <param name="Status">processing, completed, failed, cancelled or superseded (an answer replaced by a regenerated one).</param>
public sealed record MessageDto(
    Guid Id,
    string Role,
    string Content,
    string Status,
    int TokensUsed,
    int PointsCost,
    IReadOnlyList<MessageMediaDto> Media,
    DateTime CreatedAt);

/// <param name="FileType">The MIME type.</param>
/// <param name="FileUrl">A freshly signed URL; null when the file was deleted (the message keeps a note that it carried one).</param>
public sealed record MessageMediaDto(Guid Id, string FileType, string? FileUrl);
