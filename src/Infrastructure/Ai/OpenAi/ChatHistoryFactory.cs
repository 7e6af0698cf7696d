using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>Turns a <see cref="ChatRequest"/> into Semantic Kernel's chat history: system prompt, history, new message.</summary>
internal static class ChatHistoryFactory
{
    /// <param name="imageBytes">The bytes of <see cref="ChatRequest.Images"/>, in the same order.</param>
    public static ChatHistory Create(ChatRequest request, IReadOnlyList<ReadOnlyMemory<byte>> imageBytes)
    {
        var history = new ChatHistory();
        if (!string.IsNullOrWhiteSpace(request.SystemPrompt))
        {
            history.AddSystemMessage(request.SystemPrompt);
        }

        foreach (var turn in request.History)
        {
            history.AddMessage(turn.Role == MessageRole.Assistant ? AuthorRole.Assistant : AuthorRole.User, turn.Content);
        }

        if (request.Images.Count == 0)
        {
            // Plain string content: the widest-supported shape among OpenAI-compatible servers.
            history.AddUserMessage(request.UserText);
            return history;
        }

        var items = new ChatMessageContentItemCollection();
        if (!string.IsNullOrWhiteSpace(request.UserText))
        {
            items.Add(new TextContent(request.UserText));
        }

        // Bytes, never a URL: the connector sends them inline as data: URLs, so the provider fetches nothing.
        for (var i = 0; i < request.Images.Count; i++)
        {
            items.Add(new ImageContent(imageBytes[i], request.Images[i].MediaType));
        }

        history.AddUserMessage(items);
        return history;
    }
}
