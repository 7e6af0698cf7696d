using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Accounts.Login;

public sealed class LoginHandler(IAccountRepository accounts, IPasswordHasher hasher, IAccessTokenIssuer tokens)
    : ICommandHandler<LoginCommand, AuthResult>
{
    /// <summary>One message for a wrong email and a wrong password, so that accounts cannot be probed.</summary>
    public const string InvalidCredentials = "The email or password is incorrect.";

    public async ValueTask<AuthResult> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByEmailAsync(command.Email!, cancellationToken);
        if (user is null || !hasher.Verify(user.PasswordHash, command.Password!))
            throw new UnauthorizedException(InvalidCredentials);
        var token = tokens.Issue(user);
        return new AuthResult(token.Token, "Bearer", token.ExpiresInSeconds, AccountDto.From(user));
    }
}
