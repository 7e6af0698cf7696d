namespace StudyGuru.Application.Abstractions;

/// <summary>The model could not answer. <see cref="Code"/> is one of <see cref="ChatModelErrorCodes"/>.</summary>
public sealed class ChatModelException(string code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string Code { get; } = code;
}

public static class ChatModelErrorCodes
{
    /// <summary>Connection refused, provider 429 or 502-504: worth retrying later.</summary>
    public const string ModelUnavailable = "model_unavailable";

    /// <summary>Provider 401/403, other 4xx, 500, or a stream that broke.</summary>
    public const string ModelError = "model_error";
}
