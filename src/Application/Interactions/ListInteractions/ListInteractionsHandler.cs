using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.ListInteractions;

public sealed class ListInteractionsHandler(IInteractionRepository interactions)
    : IQueryHandler<ListInteractionsQuery, Page<InteractionDto>>
{
    public async ValueTask<Page<InteractionDto>> Handle(ListInteractionsQuery query, CancellationToken cancellationToken)
    {
        var page = await interactions.ListAsync(query.UserId, query.Page, query.Size, cancellationToken);
        return new Page<InteractionDto>(page.Total, page.HasNextPage, page.Items.Select(InteractionDto.From).ToList());
    }
}
