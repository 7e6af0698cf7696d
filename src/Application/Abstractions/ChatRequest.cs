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

/// <summary>An image sent to the model as bytes (never as a URL the provider would fetch).</summary>
public sealed record ChatImage(ReadOnlyMemory<byte> Bytes, string MediaType);
