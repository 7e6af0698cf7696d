using Mediator;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Common.Streams;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Media;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// Starts a generation for a student's message and streams its events, in the steps of docs/architecture.md
/// ("One charge's path"): the thread, the question's images, an idempotent retry, the context, the admission,
/// the start, then the events. Everything that can refuse the request (404, 409, 429, 402, 422) happens before
/// the first event, so the client gets a problem response instead of a stream; after that, failures are events.
/// </summary>
public sealed class StreamConversationHandler(
    ConversationAccess access,
    ConversationContextBuilder contextBuilder,
    IdempotentRetries retries,
    StartAdmission admission,
    GenerationStarter starter,
    GenerationReader reader,
    IOptions<AiOptions> aiOptions) : IStreamQueryHandler<StreamConversationQuery, GenerationEvent>
{
    /// <summary>How often a start is re-planned when concurrent requests drained the balance meanwhile.</summary>
    private const int ReservationAttempts = 3;

    /// <summary>Starts (or attaches) at the first read; after that the reader's events pass straight through.</summary>
    public IAsyncEnumerable<GenerationEvent> Handle(StreamConversationQuery query, CancellationToken cancellationToken) =>
        new DeferredAsyncStream<GenerationEvent>(
            token => new ValueTask<IAsyncEnumerable<GenerationEvent>>(StartOrAttachAsync(query, token)), cancellationToken);

    private async Task<IAsyncEnumerable<GenerationEvent>> StartOrAttachAsync(StreamConversationQuery query, CancellationToken cancellationToken)
    {
        var target = await access.OpenAsync(query.InteractionId, query.UserId, cancellationToken);
        var media = await contextBuilder.LoadMediaAsync(query.MediaFiles, query.UserId, cancellationToken);

        // A retry of a request that already started a generation attaches to it before any 409, 429 or 402.
        using var turn = await retries.WaitForTurnAsync(query, cancellationToken);
        if (await retries.TryAttachAsync(query, cancellationToken) is { } earlier) return earlier;

        var requestedMaxTokens = query.MaxTokens ?? aiOptions.Value.DefaultMaxTokens;
        var context = await contextBuilder.BuildAsync(target.Id, query.Message, media, requestedMaxTokens, cancellationToken, query.AnswerAgain);
        try
        {
            return await StartNewAsync(query, target, media, context, requestedMaxTokens, cancellationToken);
        }
        catch (Exception refusal) when (refusal is RateLimitedException or ConflictException or InsufficientPointsException
            && query.IdempotencyKey is not null)
        {
            // The first request under this key may have started on another instance meanwhile: attach to it.
            if (await retries.TryAttachAsync(query, cancellationToken) is { } started) return started;
            throw;
        }
    }

    private async Task<IAsyncEnumerable<GenerationEvent>> StartNewAsync(
        StreamConversationQuery query, ConversationTarget target, IReadOnlyList<MediaFile> media,
        ConversationContext context, int requestedMaxTokens, CancellationToken cancellationToken)
    {
        // The first attempt may plan with the balance this process last saw (KnownBalances); if that start is refused
        // for points, the attempt does not count and the next one reads the balance.
        var mayPlanFromKnownBalance = true;
        for (var attempt = 1; ; attempt++)
        {
            await using var admitted = await admission.AdmitAsync(
                query, target.Id, context.InputEstimate, requestedMaxTokens, mayPlanFromKnownBalance, cancellationToken);
            mayPlanFromKnownBalance = false;
            var outcome = await starter.StartAsync(query, target, media, context, admitted, cancellationToken);
            switch (outcome.Result)
            {
                case GenerationStartResult.IdempotencyKeyTaken taken:
                    // A concurrent retry won the race: attach to its generation (or 422 if it was another request).
                    return await retries.AttachToWinnerAsync(query, taken.GenerationId, cancellationToken);
                case GenerationStartResult.InteractionBusy busy:
                    throw new ConflictException(ConversationAccess.BusyMessage, busy.ActiveGenerationId);
                case GenerationStartResult.InsufficientPoints when admitted.PlannedFromKnownBalance:
                    attempt--;
                    continue;
                case GenerationStartResult.InsufficientPoints when attempt < ReservationAttempts:
                    continue;
                case GenerationStartResult.InsufficientPoints poor:
                    throw new InsufficientPointsException(poor.CurrentPoints, admitted.Plan.RequiredPoints);
            }

            if (outcome.Result is GenerationStartResult.Started { BalanceAfterReservation: var left }) admission.Started(query.UserId, left);
            admitted.HandOver();
            return reader.ReadAsync(outcome.Buffer!, 0, cancellationToken);
        }
    }
}
