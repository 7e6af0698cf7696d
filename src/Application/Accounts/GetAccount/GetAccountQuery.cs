using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Accounts.GetAccount;

public sealed record GetAccountQuery(Guid UserId) : IQuery<AccountDto>;

public sealed class GetAccountHandler(IAccountRepository accounts) : IQueryHandler<GetAccountQuery, AccountDto>
{
    public async ValueTask<AccountDto> Handle(GetAccountQuery query, CancellationToken cancellationToken)
    {
        var user = await accounts.FindAsync(query.UserId, cancellationToken)
            ?? throw new UnauthorizedException("The account no longer exists.");
        return AccountDto.From(user);
    }
}
