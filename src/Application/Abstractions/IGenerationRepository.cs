using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Abstractions;

/// <summary>
/// The transactional steps of a generation's life: start (claim the interaction, reserve points, save
/// the user's message) and settle (charge, return the rest, save the answer, release the claim).
/// Each is one database transaction built on atomic conditional updates, safe across instances.
/// </summary>
public interface IGenerationRepository
{
    Task<GenerationStartResult> StartAsync(GenerationStart start, CancellationToken cancellationToken);

    /// <summary>Persists the decision that ended a generation (<see cref="Generation.Settle"/> or
    /// <see cref="Generation.Expire"/>) in one transaction, only while its reservation is still held: the
    /// owner and a sweep race on that conditional update, and whichever closes the reservation first wins.
    /// Returns the balance after settling, or null when the reservation was no longer held (nothing happens then).</summary>
    /// <param name="fallbackTitles">Set on a new thread's first answer: written in the same transaction, only where
    /// the thread still has no title.</param>
    Task<int?> SettleAsync(GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles, CancellationToken cancellationToken);

    /// <summary>As <see cref="SettleAsync(GenerationSettlement, ValueTuple{string, string}?, CancellationToken)"/>, and keeps the
    /// owner's terminal event in the same transaction (one write fewer per answer than <see cref="RecordTerminalEventAsync"/>
    /// after it): <paramref name="terminalEvent"/>'s data, and beside it the balance the settlement's own update returned
    /// (<see cref="Generation.TerminalPointsBalance"/>).</summary>
    Task<int?> SettleAsync(GenerationSettlement settlement, (string Title, string SummaryTitle)? fallbackTitles,
        TerminalEventRecord? terminalEvent, CancellationToken cancellationToken);

    /// <summary>Stores the terminal event of an ended generation (<see cref="Generation.RecordTerminalEvent"/>: sequence, stored
    /// form, balance), for replays; again only when it was kept under another sequence.</summary>
    Task RecordTerminalEventAsync(Generation generation, CancellationToken cancellationToken);

    /// <summary>Extends a held lease. False when the reservation is no longer held.</summary>
    Task<bool> RenewLeaseAsync(Guid generationId, DateTime leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Whether the generation's reservation is still held (it has not settled or been swept).</summary>
    Task<bool> IsHeldAsync(Guid generationId, CancellationToken cancellationToken);

    /// <summary>Generations whose reservation is still held but whose lease expired before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Generation>> FindExpiredLeasesAsync(DateTime now, int max, CancellationToken cancellationToken);

    Task<Generation?> FindOwnedAsync(Guid generationId, Guid userId, CancellationToken cancellationToken);

    Task<Generation?> FindByIdempotencyKeyAsync(Guid userId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Frees a key whose window has passed, so that it can name a new request.</summary>
    Task ForgetIdempotencyKeyAsync(Guid generationId, CancellationToken cancellationToken);
}

/// <param name="NewInteraction">Set when the request starts a new thread; it is inserted already claimed.</param>
/// <param name="InteractionId">The thread to claim (the new one's id when <paramref name="NewInteraction"/> is set).</param>
/// <param name="UserMessage">The question to save; null when <paramref name="AnswerAgain"/> names one already saved.</param>
/// <param name="AnswerAgain">A saved question answered again: its earlier answers become superseded in the
/// same transaction that claims the thread.</param>
public sealed record GenerationStart(
    Generation Generation,
    Interaction? NewInteraction,
    Guid InteractionId,
    Message? UserMessage,
    DateTime Now,
    TimeSpan Lease,
    Guid? AnswerAgain = null);

public abstract record GenerationStartResult
{
    public sealed record Started(int BalanceAfterReservation) : GenerationStartResult;
    public sealed record InteractionBusy(Guid ActiveGenerationId) : GenerationStartResult;
    public sealed record InsufficientPoints(int CurrentPoints) : GenerationStartResult;
    /// <summary>Another request of the user already started a generation under the same idempotency key.</summary>
    public sealed record IdempotencyKeyTaken(Guid GenerationId) : GenerationStartResult;
}

/// <summary>The terminal event an owner keeps with its settlement, for replays: plain data, built before settling.</summary>
/// <param name="Sequence">Its sequence in the generation's buffer (the owner is the buffer's only writer).</param>
/// <param name="OutcomeJson">Its stored form without the balance (a stored terminal outcome); the settlement keeps the
/// balance it computes beside it, and a replay builds the event from both.</param>
public sealed record TerminalEventRecord(long Sequence, string OutcomeJson);
