using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Points;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// Whether a new answer may start now, in the contract's order: a busy thread (409) before a limit (429) before
/// the balance (402). An admitted start holds a limit slot and the points plan; the slot goes back when the
/// start does not happen (<see cref="AdmittedStart.DisposeAsync"/>) unless it was handed to the host.
/// </summary>
public sealed class StartAdmission(
    IAccountRepository accounts, IGenerationLimiter limiter, ConversationAccess access, IOptions<PointsOptions> pointsOptions,
    KnownBalances? knownBalances = null)
{
    /// <param name="mayPlanFromKnownBalance">Plan with the balance this process last saw for the user when it covers the
    /// worst case, instead of reading it (<see cref="KnownBalances"/>); the caller passes false again after such a plan
    /// was refused for points.</param>
    public async Task<AdmittedStart> AdmitAsync(
        StreamConversationQuery query, Guid? interactionId, int inputEstimate, int requestedMaxTokens, bool mayPlanFromKnownBalance,
        CancellationToken cancellationToken)
    {
        var known = 0;
        var plannedFromKnown = mayPlanFromKnownBalance && knownBalances is not null
            && knownBalances.TryGetCovering(query.UserId, PointsPolicy.WorstCase(inputEstimate, requestedMaxTokens), out known);
        var current = plannedFromKnown ? known : await ReadBalanceAsync(query.UserId, cancellationToken);
        var plan = PointsPolicy.Plan(current, inputEstimate, requestedMaxTokens, pointsOptions.Value.MinAnswerTokens);
        var admitted = new AdmittedStart(limiter, query.UserId, Guid.CreateVersion7(), plan, plannedFromKnown);

        // Limits count generations from start to settlement: a slot taken here is given back by every
        // path that does not start one (409, 402, an idempotent attach, a failure).
        try
        {
            await limiter.AcquireAsync(query.UserId, admitted.GenerationId, cancellationToken);
        }
        catch (RateLimitedException)
        {
            await access.ThrowIfBusyAsync(interactionId, query.UserId, cancellationToken);
            throw;
        }

        try
        {
            if (!plan.IsAffordable)
            {
                await access.ThrowIfBusyAsync(interactionId, query.UserId, cancellationToken);
                throw new InsufficientPointsException(current, plan.RequiredPoints);
            }
            return admitted;
        }
        catch
        {
            await admitted.DisposeAsync();
            throw;
        }
    }

    /// <summary>A start reserved its points: the balance it left is the user's known balance.</summary>
    public void Started(Guid userId, int balanceAfterReservation) => knownBalances?.Remember(userId, balanceAfterReservation);

    private async Task<int> ReadBalanceAsync(Guid userId, CancellationToken cancellationToken)
    {
        var current = await accounts.GetCurrentPointsAsync(userId, cancellationToken)
            ?? throw new UnauthorizedException("The account no longer exists.");
        knownBalances?.Remember(userId, current);
        return current;
    }
}

/// <summary>A start that passed the limits and the balance: its generation id, its points plan and its limit slot.</summary>
public sealed class AdmittedStart(IGenerationLimiter limiter, Guid userId, Guid generationId, ReservationPlan plan, bool plannedFromKnownBalance = false)
    : IAsyncDisposable
{
    private bool _handedOver;

    public Guid GenerationId { get; } = generationId;
    public ReservationPlan Plan { get; } = plan;

    /// <summary>Planned with the last known balance rather than a fresh read (<see cref="KnownBalances"/>).</summary>
    public bool PlannedFromKnownBalance { get; } = plannedFromKnownBalance;

    /// <summary>The generation started: from here the host owns the slot and frees it at settlement.</summary>
    public void HandOver() => _handedOver = true;

    public async ValueTask DisposeAsync()
    {
        if (_handedOver) return;
        _handedOver = true;
        await limiter.RefundAsync(userId, GenerationId, CancellationToken.None);
    }
}
