using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.GetInteraction;

public sealed record GetInteractionQuery(Guid UserId, Guid InteractionId) : IQuery<InteractionDto>;

public sealed class GetInteractionHandler(IInteractionRepository interactions) : IQueryHandler<GetInteractionQuery, InteractionDto>
{
    public async ValueTask<InteractionDto> Handle(GetInteractionQuery query, CancellationToken cancellationToken) =>
        InteractionDto.From(await interactions.GetOwnedAsync(query.InteractionId, query.UserId, cancellationToken));
}
