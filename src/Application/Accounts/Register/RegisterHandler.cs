using Mediator;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Accounts.Register;

public sealed class RegisterHandler(
    IAccountRepository accounts,
    IUnitOfWork unitOfWork,
    IPasswordHasher hasher,
    IAccessTokenIssuer tokens,
    TimeProvider time,
    IOptions<PointsOptions> pointsOptions) : ICommandHandler<RegisterCommand, AuthResult>
{
    public async ValueTask<AuthResult> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        if (await accounts.FindByEmailAsync(command.Email!, cancellationToken) is not null)
            throw new ConflictException("An account with this email already exists.");

        var now = time.GetUtcNow().UtcDateTime;
        var user = User.Register(command.Email!, hasher.Hash(command.Password!), Trimmed(command.FirstName), Trimmed(command.LastName), now);
        var bonus = pointsOptions.Value.SignupBonus;
        var entries = bonus > 0 ? [user.Credit(bonus, PointsTransactionType.Earned, "Signup bonus", now)] : Array.Empty<PointsLedgerEntry>();
        accounts.Add(user, entries);
        await unitOfWork.SaveChangesAsync(cancellationToken);

        var token = tokens.Issue(user);
        return new AuthResult(token.Token, "Bearer", token.ExpiresInSeconds, AccountDto.From(user));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
