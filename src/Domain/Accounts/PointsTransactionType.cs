namespace StudyGuru.Domain.Accounts;

public enum PointsTransactionType
{
    Earned,
    Used,
    Purchased,
    Refunded,
}
