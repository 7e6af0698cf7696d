namespace StudyGuru.Domain.Accounts;

public enum ReservationStatus
{
    /// <summary>Points are taken from the balance and held for a running generation.</summary>
    Held,
    /// <summary>The owner settled it: the charge was taken and the rest returned.</summary>
    Settled,
    /// <summary>The lease expired and a sweep returned every held point.</summary>
    Expired,
}
