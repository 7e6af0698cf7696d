using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Runs one generation to its end in its own DI scope, independent of the HTTP request that started
/// it: streams the model into the buffer, stops at max_tokens by its own count, then prices and
/// settles the reservation and appends the one terminal event.
/// </summary>
public sealed partial class GenerationRunner(
    IServiceScopeFactory scopes,
    ITokenCounter tokens,
    IConversationCache cache,
    IGenerationLimiter limiter,
    StreamMetrics metrics,
    GenerationTracing tracing,
    TimeProvider time,
    IOptions<AiOptions> aiOptions,
    IOptions<StreamingOptions> streamingOptions,
    ILogger<GenerationRunner> logger)
{
    /// <summary>The token counter metric is added to in steps rather than per token (the instrument's update was ~1 %
    /// of the CPU in the throughput profile); the rest is added when the answer ends.</summary>
    private const int TokensPerMetricUpdate = 64;

    /// <summary>
    /// Settlements queue for the one database writer (SQLite) or the connection pool (SQL Server) anyway; when thousands
    /// of answers end together, each waiting one held a database context (and EF Core's services for it) taken from a
    /// pool of 1,024 or newly made. The rest wait here, before their context exists (docs/performance.md, "Start and
    /// settlement allocations").
    /// </summary>
    private readonly SemaphoreSlim _settling = new(Math.Max(1, streamingOptions.Value.MaxConcurrentSettlements));

    /// <summary>Produces and settles one generation; never throws. Its buffer ends with exactly one terminal event.</summary>
    public async Task<GenerationRunOutcome> RunAsync(GenerationPlan plan, IGenerationBuffer buffer, RunningGeneration generation)
    {
        // Started where the request's activity is still current, so the span links to the starting request.
        var span = tracing.Start(plan.GenerationId, plan.InteractionId, plan.UserId, ModelName(), plan.Generation.ReservedPoints);
        // The model, database and Redis calls of the generation nest under its span.
        using var current = span.Enter();
        var outcomeCode = ErrorCodes.Internal;
        var charged = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var model = scope.ServiceProvider.GetRequiredService<IChatModel>();
            var result = await ProduceAsync(plan, buffer, generation, model, span);
            (outcomeCode, charged) = await SettleInTurnAsync(plan, buffer, result, span);
            var refreshTitle = result.Status == MessageStatus.Completed && model.IsReal && plan.TitleQuestion is not null;
            return new GenerationRunOutcome(refreshTitle, result.Content);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogGenerationCrashed(plan.GenerationId, exception);
            await buffer.AppendAsync(
                new ErrorEvent(InternalFailureSentence, ErrorCodes.Internal, time.GetUtcNow()),
                CancellationToken.None);
            return new GenerationRunOutcome(false, "");
        }
        finally
        {
            metrics.GenerationEnded(outcomeCode, charged);
            span.End(outcomeCode, failed: outcomeCode is not (FinishReasons.Stop or FinishReasons.Length or FinishReasons.Cancelled or ErrorCodes.Cancelled));
            await ReleaseSlotAsync(plan);
        }
    }

    private string ModelName() =>
        string.Equals(aiOptions.Value.Provider, "Offline", StringComparison.OrdinalIgnoreCase) ? "offline" : aiOptions.Value.Model ?? "unknown";

    private async Task ReleaseSlotAsync(GenerationPlan plan)
    {
        try
        {
            await limiter.ReleaseAsync(plan.UserId, plan.GenerationId, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A slot that cannot be freed now expires on its own; the answer itself is settled.
            LogSlotNotReleased(plan.GenerationId, exception);
        }
    }

    private async Task<GenerationResult> ProduceAsync(
        GenerationPlan plan, IGenerationBuffer buffer, RunningGeneration generation, IChatModel model, GenerationSpan span)
    {
        var ai = aiOptions.Value;
        var content = new StringBuilder();
        // For the response cache: where each piece ends in the content (AnswerPieces), not the pieces' strings.
        var pieceEnds = plan.ResponseCacheKey is null ? null : new List<int>();
        var count = new AnswerTokenCount(tokens);
        ChatUsage? usage = null;
        string? finish = null;
        var started = time.GetTimestamp();

        // One source and one timer for both time limits and the stop: the first token moves its deadline from the
        // first-token timeout to the longest duration (docs/performance.md, "Memory per open stream (sixth round)").
        var limits = new AnswerTimeLimits(TimeSpan.FromSeconds(ai.TimeoutSeconds), TimeSpan.FromSeconds(streamingOptions.Value.MaxDurationSeconds));
        using var linked = new CancellationTokenSource(limits.FirstDeadline, time);
        using var stopped = generation.StopToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), linked);

        CachedResponse? cached = null;
        var unreportedTokens = 0;
        try
        {
            if (plan.ResponseCacheKey is { } key) cached = await cache.GetResponseAsync(key, linked.Token);
            var source = cached is null ? model.StreamAsync(plan.Request, linked.Token) : ReplayCached(cached);
            await foreach (var chunk in source.WithCancellation(linked.Token))
            {
                if (chunk.Usage is { } reported) usage = reported;
                if (chunk.FinishReason is { } reason) finish = reason;
                if (string.IsNullOrEmpty(chunk.Text)) continue;

                // Our own count, so that a server that ignores the limit is still cut at max_tokens.
                var first = count.Total == 0;
                if (!count.TryAdd(chunk.Text, plan.Request.MaxTokens))
                {
                    finish = FinishReasons.Length;
                    break;
                }
                if (first)
                {
                    if (limits.AfterFirstToken(time.GetElapsedTime(started)) is { } rest) linked.CancelAfter(rest);
                    metrics.FirstToken(time.GetElapsedTime(started));
                    span.FirstToken();
                }
                content.Append(chunk.Text);
                pieceEnds?.Add(content.Length);
                await buffer.AppendAsync(new TokenEvent(chunk.Text, time.GetUtcNow()), CancellationToken.None);
                if (++unreportedTokens == TokensPerMetricUpdate)
                {
                    metrics.TokensStreamed(unreportedTokens);
                    unreportedTokens = 0;
                }
            }
            metrics.ModelFinished(time.GetElapsedTime(started));
            var finishReason = finish == FinishReasons.Length ? FinishReasons.Length : FinishReasons.Stop;
            var text = content.ToString();
            return new GenerationResult(MessageStatus.Completed, text, count.Total, usage, finishReason,
                null, null, cached is not null, pieceEnds is null ? null : new AnswerPieces(text, [.. pieceEnds]));
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var reason = generation.StopToken.IsCancellationRequested ? generation.StopReason
                : limits.ReasonAt(count.Total);
            return Stopped(content.ToString(), count.Total, reason);
        }
        catch (ChatModelException exception)
        {
            LogModelFailed(plan.GenerationId, exception.Code, count.Total);
            return new GenerationResult(MessageStatus.Failed, content.ToString(), count.Total, null, null,
                exception.Code, ModelErrorSentence(exception.Code), false, null);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
        {
            // A defect on our side: the answer is saved as failed and settled, and costs the student nothing.
            LogGenerationCrashed(plan.GenerationId, exception);
            return new GenerationResult(MessageStatus.Failed, content.ToString(), count.Total, null, null,
                ErrorCodes.Internal, InternalFailureSentence, false, null, ChargeNothing: true);
        }
        finally
        {
            if (unreportedTokens > 0) metrics.TokensStreamed(unreportedTokens);
        }
    }

    /// <summary>
    /// A stop after at least one token ends like a cancel (charged for what was produced); before any
    /// token it ends with an error and costs nothing. <see cref="StopReason.None"/> here means the
    /// first-token timeout fired.
    /// </summary>
    private static GenerationResult Stopped(string content, int counted, StopReason reason)
    {
        if (counted > 0 && reason != StopReason.LeaseLost)
            return new GenerationResult(MessageStatus.Cancelled, content, counted, null, FinishReasons.Cancelled, null, null, false, null);

        var (status, code, sentence) = reason switch
        {
            StopReason.None => (MessageStatus.Failed, ErrorCodes.Timeout, "The tutor did not start answering in time. Please try again."),
            StopReason.TimeLimit => (MessageStatus.Cancelled, ErrorCodes.Timeout, "The answer took too long and was stopped."),
            StopReason.ShuttingDown => (MessageStatus.Cancelled, ErrorCodes.ShuttingDown, "The server is restarting. Please ask again."),
            StopReason.LeaseLost => (MessageStatus.Failed, ErrorCodes.Internal, "The answer was interrupted. Nothing was charged."),
            _ => (MessageStatus.Cancelled, ErrorCodes.Cancelled, "The answer was cancelled before it started."),
        };
        return new GenerationResult(status, content, counted, null, null, code, sentence, false, null);
    }

    private const string InternalFailureSentence = "Something went wrong while answering. Nothing was charged for this answer.";

    private static string ModelErrorSentence(string code) => code == ErrorCodes.ModelUnavailable
        ? "The tutor is unavailable right now. Please try again in a moment."
        : "The tutor could not answer this question. Please try again.";

    /// <summary>Settles in a scope of its own, so that its database context is leased only while the turn is held.</summary>
    private async Task<(string OutcomeCode, int Charged)> SettleInTurnAsync(
        GenerationPlan plan, IGenerationBuffer buffer, GenerationResult result, GenerationSpan span)
    {
        await _settling.WaitAsync(CancellationToken.None);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await SettleAsync(plan, buffer, result, scope.ServiceProvider, span);
        }
        finally
        {
            _settling.Release();
        }
    }

    /// <summary>
    /// The aggregate prices and settles the answer. The terminal event's outcome is decided first and kept with the
    /// settlement as data; once the settlement has returned the balance, the event is built from both, appended
    /// (taking the next sequence) and readers see it.
    /// </summary>
    private async Task<(string OutcomeCode, int Charged)> SettleAsync(
        GenerationPlan plan, IGenerationBuffer buffer, GenerationResult result, IServiceProvider services, GenerationSpan span)
    {
        var outputTokens = result.Content.Length == 0 ? 0 : result.ProviderUsage?.OutputTokens ?? result.OutputTokensCounted;
        var inputTokens = result.ProviderUsage?.InputTokens ?? plan.InputEstimate;
        var now = time.GetUtcNow();
        var settlement = plan.Generation.Settle(new AnswerUsage(result.Content, inputTokens, outputTokens),
            result.Status, result.ErrorMessage, result.ChargeNothing, now.UtcDateTime);

        var repository = services.GetRequiredService<IGenerationRepository>();
        // The runner is its buffer's only writer from here on, so the terminal event's sequence is known now. Its
        // outcome is stored with the settlement, which adds the balance its own update returns: an owner that dies
        // right after settling still leaves a generation that replays to its end.
        var terminalSequence = await buffer.GetLastSequenceAsync(CancellationToken.None) + 1;
        var outcome = TerminalEvents.OutcomeOf(result, settlement.ChargedPoints, inputTokens, outputTokens, now);
        var storedOutcome = StoredEventCodec.Serialize(outcome);
        var balance = await repository.SettleAsync(settlement, plan.FallbackTitles,
            new TerminalEventRecord(terminalSequence, storedOutcome), CancellationToken.None);
        await cache.InvalidateInteractionAsync(plan.InteractionId, CancellationToken.None);
        if (balance is not { } pointsBalance)
        {
            LogLeaseLost(plan.GenerationId);
            await buffer.AppendAsync(new ErrorEvent("The answer was interrupted. Nothing was charged.", ErrorCodes.Internal, now),
                CancellationToken.None);
            return (ErrorCodes.Internal, 0);
        }

        if (await buffer.AppendAsync(outcome.ToEvent(pointsBalance), CancellationToken.None) is { } sequence)
        {
            plan.Generation.RecordTerminalEvent(sequence, storedOutcome, pointsBalance);
            // Only if the buffer numbered it otherwise than foreseen: the stored copy must match what readers saw.
            if (sequence != terminalSequence) await repository.RecordTerminalEventAsync(plan.Generation, CancellationToken.None);
        }
        if (result is { Status: MessageStatus.Completed, FinishReason: FinishReasons.Stop, Cached: false, Tokens: { } pieces }
            && plan.ResponseCacheKey is { } key)
        {
            await cache.SetResponseAsync(key, new CachedResponse(pieces, inputTokens, outputTokens), CancellationToken.None);
        }
        LogSettled(plan.GenerationId, result.Status, inputTokens, outputTokens, settlement.ChargedPoints);
        var outcomeCode = result.ErrorCode ?? result.FinishReason ?? FinishReasons.Stop;
        span.Settled(inputTokens, outputTokens, settlement.ChargedPoints, outcomeCode, result.Cached);
        return (outcomeCode, settlement.ChargedPoints);
    }

    private static async IAsyncEnumerable<ChatChunk> ReplayCached(
        CachedResponse cached, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var piece in cached.Tokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ChatChunk.FromText(piece);
        }
        yield return new ChatChunk(null, FinishReasons.Stop, new ChatUsage(cached.InputTokens, cached.OutputTokens));
        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} crashed")]
    private partial void LogGenerationCrashed(Guid generationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: model failed with {Code} after {Tokens} tokens")]
    private partial void LogModelFailed(Guid generationId, string code, int tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId} lost its reservation before settling; nothing charged")]
    private partial void LogLeaseLost(Guid generationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Generation {GenerationId} settled as {Status}: input {InputTokens}, output {OutputTokens}, charged {Points}")]
    private partial void LogSettled(Guid generationId, MessageStatus status, int inputTokens, int outputTokens, int points);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: its concurrency slot could not be freed")]
    private partial void LogSlotNotReleased(Guid generationId, Exception exception);
}

/// <param name="RefreshTitle">A completed first answer from a real model: the host asks for a better title.</param>
public sealed record GenerationRunOutcome(bool RefreshTitle, string Content);
