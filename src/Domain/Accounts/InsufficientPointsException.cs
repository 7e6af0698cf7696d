namespace StudyGuru.Domain.Accounts;

/// <summary>The balance cannot pay for even the smallest useful answer.</summary>
public sealed class InsufficientPointsException(int currentPoints, int requiredPoints)
    : Exception($"You need at least {requiredPoints} points for this question; you have {currentPoints}.")
{
    public int CurrentPoints { get; } = currentPoints;
    public int RequiredPoints { get; } = requiredPoints;
}
