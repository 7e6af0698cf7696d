using Mediator;

namespace StudyGuru.Application.Media.UploadMedia;

/// <summary>
/// An image a student uploads, optionally for one of their threads. <see cref="InteractionId"/> arrives
/// as the client sent it so that a malformed one is a validation error naming the field.
/// </summary>
public sealed record UploadMediaCommand(Guid UserId, string? InteractionId, UploadedFile? File) : ICommand<UploadedMediaDto>;

/// <summary>The <c>file</c> part as the edge received it; null on the command when the part is missing.</summary>
/// <param name="Length">The part's length in bytes, known before its content is read.</param>
public sealed record UploadedFile(long Length, Stream Content);
