using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Identity;

/// <summary>Configuration section <c>Admin</c>: the operators, by email (e.g. <c>Admin__Emails__0=ops@example.com</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public List<string> Emails { get; set; } = [];

    public bool IsAdmin(User user) =>
        user.Role == UserRole.Admin || Emails.Any(e => string.Equals(e.Trim(), user.Email, StringComparison.OrdinalIgnoreCase));
}
