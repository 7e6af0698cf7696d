using StudyGuru.Domain.Common;

namespace StudyGuru.Domain.Accounts;

/// <summary>One movement of points. <see cref="Points"/> is always positive; <see cref="Type"/> gives the direction.</summary>
public sealed class PointsLedgerEntry
{
    private PointsLedgerEntry() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public PointsTransactionType Type { get; private set; }
    public int Points { get; private set; }
    public string Description { get; private set; } = "";
    public Guid? InteractionId { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public static PointsLedgerEntry Create(
        Guid userId, PointsTransactionType type, int points, string description, Guid? interactionId, DateTime now)
    {
        if (points <= 0) throw new DomainRuleException("A ledger entry moves a positive number of points.");
        return new PointsLedgerEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Type = type,
            Points = points,
            Description = description,
            InteractionId = interactionId,
            CreatedAt = now,
        };
    }
}
