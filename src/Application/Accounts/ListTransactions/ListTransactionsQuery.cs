using FluentValidation;
using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Application.Common.Validation;

namespace StudyGuru.Application.Accounts.ListTransactions;

public sealed record ListTransactionsQuery(Guid UserId, int Page = 1, int Size = 10) : IQuery<Page<TransactionDto>>;

/// <param name="Type">earned, used, purchased or refunded.</param>
public sealed record TransactionDto(Guid Id, string Type, int Points, string Description, Guid? InteractionId, DateTime CreatedAt);

public sealed class ListTransactionsValidator : AbstractValidator<ListTransactionsQuery>
{
    public ListTransactionsValidator()
    {
        RuleFor(q => q.Page).IsAPageNumber(q => q.Size);
        RuleFor(q => q.Size).InclusiveBetween(1, 100);
    }
}

public sealed class ListTransactionsHandler(IAccountRepository accounts) : IQueryHandler<ListTransactionsQuery, Page<TransactionDto>>
{
    public async ValueTask<Page<TransactionDto>> Handle(ListTransactionsQuery query, CancellationToken cancellationToken)
    {
        var page = await accounts.ListTransactionsAsync(query.UserId, query.Page, query.Size, cancellationToken);
        return new Page<TransactionDto>(page.Total, page.HasNextPage, page.Items.Select(ToDto).ToList());
    }

    private static TransactionDto ToDto(PointsLedgerEntry entry) => new(
        entry.Id, entry.Type.ToString().ToLowerInvariant(), entry.Points, entry.Description, entry.InteractionId, entry.CreatedAt);
}
