using StudyGuru.Domain.Common;

namespace StudyGuru.Domain.Accounts;

/// <summary>
/// Points held for one generation (its id is the generation id). The owner renews the lease while
/// it runs; a lease that expires is swept by any instance and its points are returned.
/// </summary>
public sealed class PointsReservation
{
    private PointsReservation() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid InteractionId { get; private set; }
    public int Amount { get; private set; }
    public int ChargedPoints { get; private set; }
    public ReservationStatus Status { get; private set; }
    public DateTime LeaseExpiresAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }

    public static PointsReservation Hold(
        Guid generationId, Guid userId, Guid interactionId, int amount, DateTime now, TimeSpan lease)
    {
        if (amount <= 0) throw new DomainRuleException("A reservation holds at least one point.");
        return new PointsReservation
        {
            Id = generationId,
            UserId = userId,
            InteractionId = interactionId,
            Amount = amount,
            Status = ReservationStatus.Held,
            LeaseExpiresAt = now + lease,
            CreatedAt = now,
        };
    }
}
