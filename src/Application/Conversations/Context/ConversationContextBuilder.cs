using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Conversations.Context;

/// <summary>
/// Builds what the model sees: the tutor prompt, the history window, then the new message with its
/// images, and estimates its input tokens for the reservation.
/// </summary>
public sealed class ConversationContextBuilder(
    IInteractionRepository interactions,
    IMediaRepository mediaFiles,
    IConversationCache cache,
    ITokenCounter tokens,
    IOptions<AiOptions> aiOptions,
    IOptions<PointsOptions> pointsOptions)
{
    /// <summary>How many of the latest messages are considered for history.</summary>
    public const int HistoryMessageCount = 12;

    /// <summary>The question's uploads, in the order given; a 404 when one is not the caller's.</summary>
    public async Task<IReadOnlyList<MediaFile>> LoadMediaAsync(IReadOnlyList<MediaFileInput>? requested, Guid userId, CancellationToken cancellationToken)
    {
        if (requested is not { Count: > 0 }) return [];
        var ids = requested.Select(f => Guid.Parse(f.Id!)).Distinct().ToList();
        var owned = await mediaFiles.FindOwnedAsync(ids, userId, cancellationToken);
        if (owned.Count != ids.Count) throw new NotFoundException("No media file found!");
        return ids.Select(id => owned.First(m => m.Id == id)).ToList();
    }

    /// <param name="media">The question's uploads: the context holds references only; the bytes are read by the model
    /// adapter when the model is called, so a request refused before its stream never reads an image.</param>
    /// <param name="answerAgain">A saved question answered again: the history is what came before it.</param>
    public async Task<ConversationContext> BuildAsync(
        Guid? interactionId, string? message, IReadOnlyList<MediaFile> media, int maxTokens, CancellationToken cancellationToken,
        Guid? answerAgain = null)
    {
        var images = media.Select(file => new ChatImage(file.StorageKey, file.FileType, file.Size)).ToList();
        var history = interactionId is not { } id ? []
            : answerAgain is { } question ? await GetHistoryBeforeAsync(id, question, cancellationToken)
            : await GetHistoryAsync(id, cancellationToken);
        var userText = string.IsNullOrWhiteSpace(message) && images.Count > 0 ? TutorPrompt.DocumentAnalysis : message ?? "";
        var request = new ChatRequest(TutorPrompt.System, history, userText, images, maxTokens);

        var inputEstimate = tokens.CountTokens(TutorPrompt.System)
            + history.Sum(turn => tokens.CountTokens(turn.Content))
            + tokens.CountTokens(userText)
            + images.Count * pointsOptions.Value.ImageTokenEstimate;
        return new ConversationContext(request, inputEstimate);
    }

    private async Task<IReadOnlyList<ChatTurn>> GetHistoryAsync(Guid interactionId, CancellationToken cancellationToken)
    {
        var cached = await cache.GetHistoryAsync(interactionId, cancellationToken);
        if (cached is not null) return cached;

        var recent = await interactions.GetRecentMessagesAsync(interactionId, HistoryMessageCount, cancellationToken);
        var history = TrimToBudget(recent, aiOptions.Value.HistoryTokenBudget, tokens);
        await cache.SetHistoryAsync(interactionId, history, cancellationToken);
        return history;
    }

    /// <summary>The window before a saved question, for answering it again. Not cached: the cached window is
    /// the one before the next new question. The question is the last one of the thread, followed at most by
    /// its current answer (earlier answers are superseded and outside the window).</summary>
    private async Task<IReadOnlyList<ChatTurn>> GetHistoryBeforeAsync(Guid interactionId, Guid questionId, CancellationToken cancellationToken)
    {
        var recent = await interactions.GetRecentMessagesAsync(interactionId, HistoryMessageCount + 2, cancellationToken);
        var position = recent.ToList().FindIndex(m => m.Id == questionId);
        var before = position < 0 ? [] : recent.Take(position).TakeLast(HistoryMessageCount).ToList();
        return TrimToBudget(before, aiOptions.Value.HistoryTokenBudget, tokens);
    }

    /// <summary>
    /// Keeps completed and cancelled messages as text, then drops whole messages, oldest first,
    /// until the history fits the budget.
    /// </summary>
    public static IReadOnlyList<ChatTurn> TrimToBudget(IReadOnlyList<Message> recentOldestFirst, int budget, ITokenCounter tokens)
    {
        var turns = recentOldestFirst
            .Where(m => m.Status is MessageStatus.Completed or MessageStatus.Cancelled && m.Content.Length > 0)
            .Select(m => new ChatTurn(m.Role, m.Content))
            .ToList();
        var counts = turns.Select(t => tokens.CountTokens(t.Content)).ToList();
        var total = counts.Sum();
        var skip = 0;
        while (skip < turns.Count && total > budget)
        {
            total -= counts[skip];
            skip++;
        }
        return turns.Skip(skip).ToList();
    }
}

/// <param name="InputEstimate">Tokenizer count of the prompt plus the image estimates.</param>
public sealed record ConversationContext(ChatRequest Request, int InputEstimate)
{
    /// <summary>
    /// The response-cache key: identical full prompts (same model, prompt version, effective
    /// max_tokens, history and message, no images) share an answer. Null when images are present.
    /// </summary>
    public string? ResponseCacheKey(string modelName, int effectiveMaxTokens)
    {
        if (Request.Images.Count > 0) return null;
        var builder = new System.Text.StringBuilder();
        builder.Append(modelName).Append('\u001f').Append(TutorPrompt.Version).Append('\u001f').Append(effectiveMaxTokens);
        foreach (var turn in Request.History) builder.Append('\u001e').Append((int)turn.Role).Append('\u001f').Append(turn.Content);
        builder.Append('\u001e').Append(Request.UserText);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexString(hash);
    }
}
