using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Domain.Generations;

/// <summary>
/// One answer being produced, and the points held for it (docs/domain-rules.md, "A generation's life").
/// It begins running with a reservation of <see cref="ReservedPoints"/>; it ends exactly once, either
/// settled by its owner (<see cref="Settle"/>: the one place where an answer is priced and the charge
/// clamped to what was held) or expired by a sweep (<see cref="Expire"/>: nothing charged). Once ended,
/// its first and terminal events are kept so that it can be replayed after the live buffer expired.
/// Repositories persist these decisions as conditional updates, so the rules hold across instances.
/// </summary>
public sealed class Generation
{
    private Generation() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid InteractionId { get; private set; }
    public Guid UserMessageId { get; private set; }
    public GenerationFormat Format { get; private set; }
    public int MaxTokens { get; private set; }
    public int ReservedPoints { get; private set; }
    /// <summary>Client-chosen key (Idempotency-Key or client_message_id), unique per user.</summary>
    public string? IdempotencyKey { get; private set; }
    /// <summary>Hash of the request fields as sent, to tell a retry from a different request under the same key.</summary>
    public string? RequestHash { get; private set; }
    public string? FirstEventJson { get; private set; }
    /// <summary>The stored terminal event. With <see cref="TerminalPointsBalance"/> set, it is the event's part that does not
    /// depend on the balance (built before settling), and a replay adds that balance to it; without it (rows written before
    /// the balance had a column of its own), it is the whole event.</summary>
    public string? TerminalEventJson { get; private set; }
    public long? TerminalSequence { get; private set; }
    /// <summary>The balance after settling, as the settlement's own update returned it (the terminal event reports it).</summary>
    public int? TerminalPointsBalance { get; private set; }
    public bool HasEnded { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? EndedAt { get; private set; }

    public static Generation Begin(
        Guid id, Guid userId, Guid interactionId, Guid userMessageId, GenerationFormat format,
        int maxTokens, int reservedPoints, string? idempotencyKey, string? requestHash, DateTime now,
        string? firstEventJson = null)
    {
        if (maxTokens <= 0) throw new DomainRuleException("A generation may produce at least one token.");
        if (reservedPoints <= 0) throw new DomainRuleException("A generation holds at least one point.");
        return new Generation
        {
            Id = id,
            UserId = userId,
            InteractionId = interactionId,
            UserMessageId = userMessageId,
            Format = format,
            MaxTokens = maxTokens,
            ReservedPoints = reservedPoints,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            FirstEventJson = firstEventJson,
            CreatedAt = now,
        };
    }

    /// <summary>The points held while it runs, under a lease its owner renews.</summary>
    public PointsReservation HoldReservation(DateTime now, TimeSpan lease) =>
        PointsReservation.Hold(Id, UserId, InteractionId, ReservedPoints, now, lease);

    /// <summary>
    /// The owner ends the generation with what it produced: the price of the tokens used, never more than
    /// was held, is charged, and the rest returns. A stop (cancel, disconnect, time limit) is an answer like
    /// any other: charged for the tokens produced. An answer that failed on our side charges nothing.
    /// </summary>
    public GenerationSettlement Settle(AnswerUsage usage, MessageStatus status, string? errorMessage, bool chargeNothing, DateTime now)
    {
        EnsureRunning();
        if (status == MessageStatus.Processing) throw new DomainRuleException("A generation settles with a final status.");
        if (usage.InputTokens < 0 || usage.OutputTokens < 0) throw new DomainRuleException("Token counts cannot be negative.");
        var price = chargeNothing ? 0 : PointsPricing.Price(usage.InputTokens + usage.OutputTokens, usage.OutputTokens);
        var charged = Math.Min(price, ReservedPoints);
        return End(ReservationStatus.Settled, charged,
            new GenerationOutcome(status, usage.Content, usage.InputTokens, usage.OutputTokens, charged, errorMessage), now);
    }

    /// <summary>Its owner vanished (the lease expired): every held point returns and the partial answer is kept as failed.</summary>
    public GenerationSettlement Expire(string partialContent, string reason, DateTime now)
    {
        EnsureRunning();
        return End(ReservationStatus.Expired, 0, new GenerationOutcome(MessageStatus.Failed, partialContent, 0, 0, 0, reason), now);
    }

    /// <summary>Keeps the terminal event for replays: its balance-independent part and the balance after settling
    /// (see <see cref="TerminalEventJson"/>).</summary>
    public void RecordTerminalEvent(long sequence, string terminalEventJson, int? pointsBalance)
    {
        if (!HasEnded) throw new DomainRuleException("Only an ended generation has a terminal event.");
        if (sequence < 2) throw new DomainRuleException("The terminal event follows at least the first event.");
        if (pointsBalance < 0) throw new DomainRuleException("A balance is never negative.");
        TerminalSequence = sequence;
        TerminalEventJson = terminalEventJson;
        TerminalPointsBalance = pointsBalance;
    }

    private GenerationSettlement End(ReservationStatus closesAs, int charged, GenerationOutcome outcome, DateTime now)
    {
        HasEnded = true;
        EndedAt = now;
        var answer = Message.FromAssistant(InteractionId, Id, outcome, now);
        return new GenerationSettlement(Id, UserId, InteractionId, closesAs, charged, ReservedPoints - charged, answer, now);
    }

    private void EnsureRunning()
    {
        if (HasEnded) throw new DomainRuleException("This generation has already ended.");
    }
}

/// <summary>What an answer used: its text and its token counts (the provider's, or our one count).</summary>
public sealed record AnswerUsage(string Content, int InputTokens, int OutputTokens);

/// <summary>
/// The decision that ends a generation, for the repository to persist in one transaction: close the
/// reservation as <paramref name="ClosesAs"/> (only if still held), charge <paramref name="ChargedPoints"/>,
/// return <paramref name="ReturnedPoints"/>, save <paramref name="Answer"/> and release the thread.
/// </summary>
public sealed record GenerationSettlement(
    Guid GenerationId,
    Guid UserId,
    Guid InteractionId,
    ReservationStatus ClosesAs,
    int ChargedPoints,
    int ReturnedPoints,
    Message Answer,
    DateTime At);
