using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Accounts.Common;

/// <param name="CurrentPoints">What can be spent now: points held by running generations are not in it.</param>
public sealed record AccountDto(
    Guid Id, string Email, string? FirstName, string? LastName, int CurrentPoints, int TotalPointsEarned, int TotalPointsUsed)
{
    public static AccountDto From(User user) => new(
        user.Id, user.Email, user.FirstName, user.LastName, user.CurrentPoints, user.TotalPointsEarned, user.TotalPointsUsed);
}

public sealed record AuthResult(string AccessToken, string TokenType, int ExpiresIn, AccountDto User);
