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
    IAccountRepository accounts, IGenerationLimiter limiter, ConversationAccess access, IOptions<PointsOptions> pointsOptions)
{
    public async Task<AdmittedStart> AdmitAsync(
        StreamConversationQuery query, Guid? interactionId, int inputEstimate, int requestedMaxTokens, CancellationToken cancellationToken)
    {
        var current = await accounts.GetCurrentPointsAsync(query.UserId, cancellationToken)
            ?? throw new UnauthorizedException("The account no longer exists.");
        var plan = PointsPolicy.Plan(current, inputEstimate, requestedMaxTokens, pointsOptions.Value.MinAnswerTokens);
        var admitted = new AdmittedStart(limiter, query.UserId, Guid.CreateVersion7(), plan);

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
}

/// <summary>A start that passed the limits and the balance: its generation id, its points plan and its limit slot.</summary>
public sealed class AdmittedStart(IGenerationLimiter limiter, Guid userId, Guid generationId, ReservationPlan plan) : IAsyncDisposable
{
    private bool _handedOver;

    public Guid GenerationId { get; } = generationId;
    public ReservationPlan Plan { get; } = plan;

    /// <summary>The generation started: from here the host owns the slot and frees it at settlement.</summary>
    public void HandOver() => _handedOver = true;

    public async ValueTask DisposeAsync()
    {
        if (_handedOver) return;
        _handedOver = true;
        await limiter.RefundAsync(userId, GenerationId, CancellationToken.None);
    }
}
