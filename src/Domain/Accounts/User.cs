using StudyGuru.Domain.Common;

namespace StudyGuru.Domain.Accounts;

/// <summary>
/// A student (or operator) and their points balance.
/// Invariant: <c>CurrentPoints + held reservations = TotalPointsEarned - TotalPointsUsed</c>.
/// Balance changes that race with other requests are done by the repository as atomic
/// conditional updates; the methods here are the in-memory form of the same rules.
/// </summary>
public sealed class User
{
    private User() { }

    public Guid Id { get; private set; }
    public string Email { get; private set; } = "";
    public string NormalizedEmail { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public string? FirstName { get; private set; }
    public string? LastName { get; private set; }
    public string Role { get; private set; } = UserRole.Student;
    public int CurrentPoints { get; private set; }
    public int TotalPointsEarned { get; private set; }
    public int TotalPointsUsed { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public static User Register(string email, string passwordHash, string? firstName, string? lastName, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(email)) throw new DomainRuleException("An account needs an email.");
        return new User
        {
            Id = Guid.CreateVersion7(),
            Email = email.Trim(),
            NormalizedEmail = NormalizeEmail(email),
            PasswordHash = passwordHash,
            FirstName = firstName,
            LastName = lastName,
            CreatedAt = now,
        };
    }

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Granted only by an operator command on the server's machine, never by anything a client sends.</summary>
    public void PromoteToAdmin() => Role = UserRole.Admin;

    public void RevokeAdmin() => Role = UserRole.Student;

    /// <summary>Adds points that can be spent (signup bonus, purchase); returns the ledger entry to store.</summary>
    public PointsLedgerEntry Credit(int points, PointsTransactionType type, string description, DateTime now)
    {
        if (points <= 0) throw new DomainRuleException("Credited points must be positive.");
        if (type is not (PointsTransactionType.Earned or PointsTransactionType.Purchased))
            throw new DomainRuleException("Only earned or purchased points can be credited.");
        CurrentPoints += points;
        TotalPointsEarned += points;
        return PointsLedgerEntry.Create(Id, type, points, description, null, now);
    }
}
