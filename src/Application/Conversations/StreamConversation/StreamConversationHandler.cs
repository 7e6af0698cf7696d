using Mediator;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Common.Streams;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Points;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// Starts a generation for a student's message and streams its events. Everything that can refuse the
/// request (404, 409, 402) happens before the first event, so the client gets a problem response
/// instead of a stream; after that, failures are events.
/// </summary>
public sealed class StreamConversationHandler(
    IInteractionRepository interactions,
    IMediaRepository mediaFiles,
    IAccountRepository accounts,
    IGenerationRepository generations,
    IGenerationLimiter limiter,
    IConversationCache cache,
    ConversationContextBuilder contextBuilder,
    IGenerationBufferStore buffers,
    GenerationHost host,
    GenerationReader reader,
    GenerationReplay replay,
    IdempotencyKeyTurns keyTurns,
    TimeProvider time,
    IOptions<AiOptions> aiOptions,
    IOptions<PointsOptions> pointsOptions) : IStreamQueryHandler<StreamConversationQuery, GenerationEvent>
{
    /// <summary>How often a start is re-planned when concurrent requests drained the balance meanwhile.</summary>
    private const int ReservationAttempts = 3;

    /// <summary>A key is honoured for a day; after that the same key starts a new generation.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>Starts (or attaches) at the first read; after that the reader's events pass straight through.</summary>
    public IAsyncEnumerable<GenerationEvent> Handle(StreamConversationQuery query, CancellationToken cancellationToken) =>
        new DeferredAsyncStream<GenerationEvent>(
            token => new ValueTask<IAsyncEnumerable<GenerationEvent>>(StartOrAttachAsync(query, token)), cancellationToken);

    private async Task<IAsyncEnumerable<GenerationEvent>> StartOrAttachAsync(StreamConversationQuery query, CancellationToken cancellationToken)
    {
        var interactionId = query.InteractionId is null ? (Guid?)null : Guid.Parse(query.InteractionId);
        var isNewInteraction = interactionId is not { } existing
            || await EnsureOwnedAndCheckEmptyAsync(existing, query.UserId, cancellationToken);

        // References only: the bytes are read by the model adapter when the model is called, so a request
        // refused below never reads an image.
        var media = await LoadMediaAsync(query, cancellationToken);
        var images = media.Select(file => new ChatImage(file.StorageKey, file.FileType, file.Size)).ToList();

        // A retry of a request that already started a generation attaches to it (live or replayed) before
        // any 409, 429 or 402 is considered; it never starts a second answer.
        // A retry that arrives while the first request is starting waits for its turn, then finds it.
        var fingerprint = query.IdempotencyKey is null ? null : query.RequestHash ?? RequestFingerprint.Compute(query);
        using var turn = query.IdempotencyKey is { } turnKey ? await keyTurns.EnterAsync(query.UserId, turnKey, cancellationToken) : null;
        if (query.IdempotencyKey is { } key && await FindRetryTargetAsync(query.UserId, key, fingerprint!, cancellationToken) is { } retryOf)
            return await replay.OpenAsync(query.UserId, retryOf, null, cancellationToken);

        var requestedMaxTokens = query.MaxTokens ?? aiOptions.Value.DefaultMaxTokens;
        var context = await contextBuilder.BuildAsync(interactionId, query.Message, images, requestedMaxTokens, cancellationToken, query.AnswerAgain);
        try
        {
            return await StartNewAsync(query, interactionId, isNewInteraction, media, context, requestedMaxTokens, fingerprint, cancellationToken);
        }
        catch (Exception refusal) when (refusal is RateLimitedException or ConflictException or InsufficientPointsException
            && query.IdempotencyKey is not null)
        {
            // The first request under this key may have started on another instance meanwhile: attach to it.
            if (await FindRetryTargetAsync(query.UserId, query.IdempotencyKey, fingerprint!, cancellationToken) is { } started)
                return await replay.OpenAsync(query.UserId, started, null, cancellationToken);
            throw;
        }
    }

    private async Task<IAsyncEnumerable<GenerationEvent>> StartNewAsync(
        StreamConversationQuery query, Guid? interactionId, bool isNewInteraction, IReadOnlyList<MediaFile> media,
        ConversationContext context, int requestedMaxTokens, string? fingerprint, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await accounts.GetCurrentPointsAsync(query.UserId, cancellationToken)
                ?? throw new UnauthorizedException("The account no longer exists.");
            var plan = PointsPolicy.Plan(current, context.InputEstimate, requestedMaxTokens, pointsOptions.Value.MinAnswerTokens);
            var generationId = Guid.CreateVersion7();

            // Limits count generations from start to settlement: a slot taken here is given back by every
            // path that does not start one (409, 402, an idempotent attach, a failure).
            await AcquireLimitsAsync(query.UserId, generationId, interactionId, cancellationToken);
            var started = false;
            try
            {
                if (!plan.IsAffordable)
                {
                    await ThrowIfBusyAsync(interactionId, query.UserId, cancellationToken);
                    throw new InsufficientPointsException(current, plan.RequiredPoints);
                }

                var now = time.GetUtcNow();
                var newInteraction = interactionId is null ? Interaction.Start(query.UserId, now.UtcDateTime, query.ChatId) : null;
                var targetId = newInteraction?.Id ?? interactionId!.Value;
                var userMessage = query.AnswerAgain is null
                    ? Message.FromUser(targetId, query.Message ?? "", media.Select(m => (m.Id, m.FileType)), now.UtcDateTime)
                    : null;
                var userMessageId = userMessage?.Id ?? query.AnswerAgain!.Value;
                // Everything the first event says is known before the start, so it is stored with the
                // generation: a replay (or a sweep after a crash) always has it.
                var metadata = new MetadataEvent(targetId, isNewInteraction, query.UserId, generationId, plan.MaxTokens, plan.ReservePoints, now);
                var firstEventJson = StoredEventCodec.Serialize(metadata);
                var generation = Generation.Begin(generationId, query.UserId, targetId, userMessageId, query.Format,
                    plan.MaxTokens, plan.ReservePoints, query.IdempotencyKey, fingerprint, now.UtcDateTime, firstEventJson);

                var result = await generations.StartAsync(
                    new GenerationStart(generation, newInteraction, targetId, userMessage, now.UtcDateTime,
                        TimeSpan.FromSeconds(pointsOptions.Value.LeaseSeconds), query.AnswerAgain),
                    cancellationToken);

                switch (result)
                {
                    case GenerationStartResult.IdempotencyKeyTaken taken:
                        // A concurrent retry won the race: attach to its generation (or 422 if it was another request).
                        await FindRetryTargetAsync(query.UserId, query.IdempotencyKey!, fingerprint!, cancellationToken);
                        return await replay.OpenAsync(query.UserId, taken.GenerationId, null, cancellationToken);
                    case GenerationStartResult.InteractionBusy busy:
                        throw new ConflictException("An answer is already being generated in this conversation.", busy.ActiveGenerationId);
                    case GenerationStartResult.InsufficientPoints when attempt < ReservationAttempts:
                        continue;
                    case GenerationStartResult.InsufficientPoints poor:
                        throw new InsufficientPointsException(poor.CurrentPoints, plan.RequiredPoints);
                }

                if (newInteraction is not null) await cache.SetOwnerAsync(targetId, query.UserId, cancellationToken);
                var buffer = buffers.Create(generationId, query.UserId, query.Format);
                await buffer.AppendAsync(metadata, cancellationToken);

                var modelRequest = context.Request with { MaxTokens = plan.MaxTokens };
                var fallbackTitles = newInteraction is not null || isNewInteraction ? Interaction.FallbackTitles(query.Message) : ((string, string)?)null;
                host.Start(new GenerationPlan(
                    generation, modelRequest, context.InputEstimate,
                    // Answering again asks for a new answer: never the stored one.
                    query.AnswerAgain is null ? context.ResponseCacheKey(ModelIdentity(), plan.MaxTokens) : null,
                    fallbackTitles,
                    isNewInteraction ? modelRequest.UserText : null), buffer);
                // From here the host owns the slot and frees it at settlement.
                started = true;
                return reader.ReadAsync(buffer, 0, cancellationToken);
            }
            finally
            {
                if (!started) await limiter.RefundAsync(query.UserId, generationId, CancellationToken.None);
            }
        }
    }

    /// <returns>The generation a retry under <paramref name="key"/> attaches to, or null to start a new one.</returns>
    private async Task<Guid?> FindRetryTargetAsync(Guid userId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var previous = await generations.FindByIdempotencyKeyAsync(userId, key, cancellationToken);
        if (previous is null) return null;
        if (previous.CreatedAt < time.GetUtcNow().UtcDateTime - IdempotencyWindow)
        {
            await generations.ForgetIdempotencyKeyAsync(previous.Id, cancellationToken);
            return null;
        }
        if (!string.Equals(previous.RequestHash, fingerprint, StringComparison.Ordinal))
            throw new UnprocessableException("This Idempotency-Key was already used with a different request.");
        return previous.Id;
    }

    /// <returns>True when the interaction has no messages yet (it counts as new).</returns>
    private async Task<bool> EnsureOwnedAndCheckEmptyAsync(Guid interactionId, Guid userId, CancellationToken cancellationToken)
    {
        var owner = await cache.GetOwnerAsync(interactionId, cancellationToken);
        if (owner is null)
        {
            var interaction = await interactions.FindOwnedAsync(interactionId, userId, cancellationToken)
                ?? throw new NotFoundException(NotFoundException.InteractionMessage);
            await cache.SetOwnerAsync(interaction.Id, interaction.UserId, cancellationToken);
        }
        else if (owner != userId)
        {
            throw new NotFoundException(NotFoundException.InteractionMessage);
        }
        return !await interactions.HasMessagesAsync(interactionId, cancellationToken);
    }

    /// <summary>429 when a limit refuses; a busy thread (409) is reported first.</summary>
    private async Task AcquireLimitsAsync(Guid userId, Guid generationId, Guid? interactionId, CancellationToken cancellationToken)
    {
        try
        {
            await limiter.AcquireAsync(userId, generationId, cancellationToken);
        }
        catch (RateLimitedException)
        {
            await ThrowIfBusyAsync(interactionId, userId, cancellationToken);
            throw;
        }
    }

    /// <summary>409 wins over 402: a busy thread is reported even when the balance is also short.</summary>
    private async Task ThrowIfBusyAsync(Guid? interactionId, Guid userId, CancellationToken cancellationToken)
    {
        if (interactionId is not { } id) return;
        var interaction = await interactions.FindOwnedAsync(id, userId, cancellationToken);
        if (interaction?.ActiveGenerationId is { } active)
            throw new ConflictException("An answer is already being generated in this conversation.", active);
    }

    private async Task<IReadOnlyList<MediaFile>> LoadMediaAsync(StreamConversationQuery query, CancellationToken cancellationToken)
    {
        if (query.MediaFiles is not { Count: > 0 } requested) return [];
        var ids = requested.Select(f => Guid.Parse(f.Id!)).Distinct().ToList();
        var owned = await mediaFiles.FindOwnedAsync(ids, query.UserId, cancellationToken);
        if (owned.Count != ids.Count) throw new NotFoundException("No media file found!");
        return ids.Select(id => owned.First(m => m.Id == id)).ToList();
    }

    /// <summary>What makes two identical prompts give the same answer, for the response cache key.</summary>
    private string ModelIdentity()
    {
        var ai = aiOptions.Value;
        return ai.UsesOpenAI ? $"openai:{ai.Endpoint}:{ai.Model}" : $"offline:{ai.Offline.AnswerWords}";
    }
}
