using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Abstractions;

/// <summary>Mints the bearer tokens that the API validates.</summary>
public interface IAccessTokenIssuer
{
    AccessToken Issue(User user);
}

public sealed record AccessToken(string Token, int ExpiresInSeconds);
