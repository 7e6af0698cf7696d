using FluentValidation;
using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Accounts.CreditPoints;

/// <summary>An operator tops up a student: a <c>purchased</c> ledger entry.</summary>
public sealed record CreditPointsCommand(Guid UserId, int? Points, string? Description) : ICommand<AccountDto>;

public sealed class CreditPointsValidator : AbstractValidator<CreditPointsCommand>
{
    public CreditPointsValidator()
    {
        RuleFor(c => c.Points).NotNull().InclusiveBetween(1, 1_000_000);
        RuleFor(c => c.Description).NotEmpty().MaximumLength(200);
    }
}

public sealed class CreditPointsHandler(IAccountRepository accounts) : ICommandHandler<CreditPointsCommand, AccountDto>
{
    public async ValueTask<AccountDto> Handle(CreditPointsCommand command, CancellationToken cancellationToken)
    {
        if (!await accounts.CreditAsync(command.UserId, command.Points!.Value, PointsTransactionType.Purchased, command.Description!, cancellationToken))
            throw new NotFoundException("No user found!");
        var user = await accounts.FindAsync(command.UserId, cancellationToken) ?? throw new NotFoundException("No user found!");
        return AccountDto.From(user);
    }
}
