using Mediator;
using StudyGuru.Application.Chat.Common;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Interactions.CancelGeneration;

namespace StudyGuru.Application.Chat.StopChat;

/// <summary>Stops the chat's running answer like a cancel: saved as cancelled, charged for the tokens produced. 404 when none runs.</summary>
public sealed record StopChatCommand(Guid UserId, string ChatId) : ICommand<CancelledGeneration>;

public sealed class StopChatHandler(ChatThreads threads, IMediator mediator) : ICommandHandler<StopChatCommand, CancelledGeneration>
{
    public async ValueTask<CancelledGeneration> Handle(StopChatCommand command, CancellationToken cancellationToken)
    {
        if (!ChatId.IsValid(command.ChatId)) throw new NotFoundException(CancelGenerationHandler.NothingRunningMessage);
        var thread = await threads.FindAsync(command.UserId, command.ChatId, cancellationToken)
            ?? throw new NotFoundException(CancelGenerationHandler.NothingRunningMessage);
        return await mediator.Send(new CancelGenerationCommand(command.UserId, thread.InteractionId), cancellationToken);
    }
}
