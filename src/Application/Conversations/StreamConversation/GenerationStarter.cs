using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>What a start came to: the repository's answer, and the started generation's buffer.</summary>
public sealed record StartOutcome(GenerationStartResult Result, IGenerationBuffer? Buffer);

/// <summary>
/// Starts an admitted answer: one transaction stores the question, the generation and its reservation (or says
/// why not: a busy thread, a short balance, a key another request took), then the buffer gets its first event
/// and the host runs the generation.
/// </summary>
public sealed class GenerationStarter(
    IGenerationRepository generations,
    ConversationAccess access,
    IGenerationBufferStore buffers,
    GenerationHost host,
    TimeProvider time,
    IOptions<AiOptions> aiOptions,
    IOptions<PointsOptions> pointsOptions)
{
    public async Task<StartOutcome> StartAsync(
        StreamConversationQuery query, ConversationTarget target, IReadOnlyList<MediaFile> media, ConversationContext context,
        AdmittedStart admitted, CancellationToken cancellationToken)
    {
        var plan = admitted.Plan;
        var generationId = admitted.GenerationId;
        var now = time.GetUtcNow();
        var newInteraction = target.Id is null ? Interaction.Start(query.UserId, now.UtcDateTime, query.ChatId) : null;
        var targetId = newInteraction?.Id ?? target.Id!.Value;
        var userMessage = query.AnswerAgain is null
            ? Message.FromUser(targetId, query.Message ?? "", media.Select(m => (m.Id, m.FileType)), now.UtcDateTime)
            : null;
        var userMessageId = userMessage?.Id ?? query.AnswerAgain!.Value;
        // Everything the first event says is known before the start, so it is stored with the
        // generation: a replay (or a sweep after a crash) always has it.
        var metadata = new MetadataEvent(targetId, target.IsNew, query.UserId, generationId, plan.MaxTokens, plan.ReservePoints, now);
        var generation = Generation.Begin(generationId, query.UserId, targetId, userMessageId, query.Format,
            plan.MaxTokens, plan.ReservePoints, query.IdempotencyKey, IdempotentRetries.Fingerprint(query), now.UtcDateTime,
            StoredEventCodec.Serialize(metadata));

        var result = await generations.StartAsync(
            new GenerationStart(generation, newInteraction, targetId, userMessage, now.UtcDateTime,
                TimeSpan.FromSeconds(pointsOptions.Value.LeaseSeconds), query.AnswerAgain),
            cancellationToken);
        if (result is not GenerationStartResult.Started) return new StartOutcome(result, null);

        if (newInteraction is not null) await access.RememberOwnerAsync(targetId, query.UserId, cancellationToken);
        var buffer = buffers.Create(generationId, query.UserId, query.Format);
        await buffer.AppendAsync(metadata, cancellationToken);

        var modelRequest = context.Request with { MaxTokens = plan.MaxTokens };
        var fallbackTitles = target.IsNew ? Interaction.FallbackTitles(query.Message) : ((string, string)?)null;
        host.Start(new GenerationPlan(
            generation, modelRequest, context.InputEstimate,
            // Answering again asks for a new answer: never the stored one.
            query.AnswerAgain is null ? context.ResponseCacheKey(ModelIdentity(), plan.MaxTokens) : null,
            fallbackTitles,
            target.IsNew ? modelRequest.UserText : null), buffer);
        return new StartOutcome(result, buffer);
    }

    /// <summary>What makes two identical prompts give the same answer, for the response cache key.</summary>
    private string ModelIdentity()
    {
        var ai = aiOptions.Value;
        return ai.UsesOpenAI ? $"openai:{ai.Endpoint}:{ai.Model}" : $"offline:{ai.Offline.AnswerWords}";
    }
}
