namespace StudyGuru.Application.Common.Errors;

/// <summary>The thing does not exist or belongs to someone else: both look the same to the caller (404).</summary>
public sealed class NotFoundException(string message) : Exception(message)
{
    public const string InteractionMessage = "No conversation found!";
    public const string MediaMessage = "No media file found!";
}
