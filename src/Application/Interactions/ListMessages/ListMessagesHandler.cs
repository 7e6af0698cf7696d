using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.Common;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.Interactions.ListMessages;

public sealed class ListMessagesHandler(IInteractionRepository interactions, IMediaUrlSigner urls)
    : IQueryHandler<ListMessagesQuery, Page<MessageDto>>
{
    public async ValueTask<Page<MessageDto>> Handle(ListMessagesQuery query, CancellationToken cancellationToken)
    {
        await interactions.GetOwnedAsync(query.InteractionId, query.UserId, cancellationToken);
        var page = await interactions.ListMessagesAsync(query.InteractionId, query.Limit, query.Offset, cancellationToken);
        return new Page<MessageDto>(page.Total, page.HasNextPage, page.Items.Select(ToDto).ToList());
    }

    private MessageDto ToDto(Message message) => new(
        message.Id,
        message.Role.ToString().ToLowerInvariant(),
        message.Content,
        message.Status.ToString().ToLowerInvariant(),
        message.TokensUsed,
        message.PointsCost,
        message.Media.Select(m => new MessageMediaDto(m.MediaId, m.FileType, m.Removed ? null : urls.CreateUrl(m.MediaId))).ToList(),
        message.CreatedAt);
}
