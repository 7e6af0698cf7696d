namespace StudyGuru.Application.Media.UploadMedia;

/// <param name="FileUrl">Absolute, signed and expiring: it works without a bearer header.</param>
/// <param name="FileType">The MIME type found in the bytes, not the one the client declared.</param>
/// <param name="Size">In bytes.</param>
public sealed record UploadedMediaDto(Guid MediaId, string FileUrl, string FileType, long Size);
