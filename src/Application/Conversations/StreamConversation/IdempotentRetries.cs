using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// A request retried under its <c>Idempotency-Key</c> attaches to the generation the first one started (live or
/// replayed), before any 409, 429 or 402 is considered, and never starts a second answer; the same key with
/// another request is a 422 (docs/domain-rules.md, "Idempotency").
/// </summary>
public sealed class IdempotentRetries(
    IGenerationRepository generations, IdempotencyKeyTurns turns, GenerationReplay replay, TimeProvider time)
{
    /// <summary>A key is honoured for a day; after that the same key starts a new generation.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>What identifies the request behind a key (null without a key).</summary>
    public static string? Fingerprint(StreamConversationQuery query) =>
        query.IdempotencyKey is null ? null : query.RequestHash ?? RequestFingerprint.Compute(query);

    /// <summary>Requests under one key take turns from this check to the start's commit: a retry that arrives while
    /// the first request is starting waits, then finds it. Null without a key.</summary>
    public async ValueTask<IDisposable?> WaitForTurnAsync(StreamConversationQuery query, CancellationToken cancellationToken) =>
        query.IdempotencyKey is { } key ? await turns.EnterAsync(query.UserId, key, cancellationToken) : null;

    /// <summary>The events of the generation an earlier request under this key started, or null to start one.</summary>
    public async Task<IAsyncEnumerable<GenerationEvent>?> TryAttachAsync(StreamConversationQuery query, CancellationToken cancellationToken) =>
        query.IdempotencyKey is { } key && await FindTargetAsync(query.UserId, key, Fingerprint(query)!, cancellationToken) is { } started
            ? await replay.OpenAsync(query.UserId, started, null, cancellationToken)
            : null;

    /// <summary>A concurrent request under this key won the start: its events (or 422 if it was another request).</summary>
    public async Task<IAsyncEnumerable<GenerationEvent>> AttachToWinnerAsync(
        StreamConversationQuery query, Guid winner, CancellationToken cancellationToken)
    {
        await FindTargetAsync(query.UserId, query.IdempotencyKey!, Fingerprint(query)!, cancellationToken);
        return await replay.OpenAsync(query.UserId, winner, null, cancellationToken);
    }

    /// <returns>The generation a retry under <paramref name="key"/> attaches to, or null to start a new one.</returns>
    private async Task<Guid?> FindTargetAsync(Guid userId, string key, string fingerprint, CancellationToken cancellationToken)
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
}
