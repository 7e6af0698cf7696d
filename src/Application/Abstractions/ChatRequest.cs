using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Abstractions;

/// <summary>Everything sent to the model for one answer.</summary>
public sealed record ChatRequest(
    string SystemPrompt,
    IReadOnlyList<ChatTurn> History,
    string UserText,
    IReadOnlyList<ChatImage> Images,
    int MaxTokens);

public sealed record ChatTurn(MessageRole Role, string Content);

/// <summary>
/// An image of the request, by reference: the model adapter that sends images reads the bytes when it calls
/// the model (within a memory budget), and sends them as bytes, never as a URL the provider would fetch.
/// </summary>
/// <param name="StorageKey">Where media storage keeps the bytes.</param>
/// <param name="Size">Bytes, as stored at upload.</param>
public sealed record ChatImage(string StorageKey, string MediaType, long Size);
