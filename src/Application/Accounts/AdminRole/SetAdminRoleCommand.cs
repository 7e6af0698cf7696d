using FluentValidation;
using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Accounts.AdminRole;

/// <summary>
/// An operator grants or revokes the <c>admin</c> role of an account, by email. Only the server's own
/// command line sends this (no HTTP endpoint does): the role is never something a client can obtain.
/// </summary>
public sealed record SetAdminRoleCommand(string Email, bool IsAdmin) : ICommand<SetAdminRoleResult>;

/// <param name="Changed">False when the account already had that role.</param>
public sealed record SetAdminRoleResult(Guid UserId, string Email, string Role, bool Changed);

public sealed class SetAdminRoleValidator : AbstractValidator<SetAdminRoleCommand>
{
    public SetAdminRoleValidator() => RuleFor(c => c.Email).NotEmpty().EmailAddress();
}

public sealed class SetAdminRoleHandler(IAccountRepository accounts, IUnitOfWork unitOfWork)
    : ICommandHandler<SetAdminRoleCommand, SetAdminRoleResult>
{
    public async ValueTask<SetAdminRoleResult> Handle(SetAdminRoleCommand command, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByEmailAsync(command.Email, cancellationToken)
            ?? throw new NotFoundException($"No account has the email {command.Email.Trim()}.");
        var before = user.Role;
        if (command.IsAdmin) user.PromoteToAdmin();
        else user.RevokeAdmin();
        if (user.Role != before) await unitOfWork.SaveChangesAsync(cancellationToken);
        return new SetAdminRoleResult(user.Id, user.Email, user.Role, user.Role != before);
    }
}
