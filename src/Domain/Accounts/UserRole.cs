namespace StudyGuru.Domain.Accounts;

public static class UserRole
{
    public const string Student = "student";
    public const string Admin = "admin";
}
