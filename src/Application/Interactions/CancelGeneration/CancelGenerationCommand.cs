using Mediator;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.CancelGeneration;

/// <summary>Stops the answer running in one of the caller's threads. 404 when none runs.</summary>
public sealed record CancelGenerationCommand(Guid UserId, Guid InteractionId) : ICommand<CancelledGeneration>;

public sealed record CancelledGeneration(Guid GenerationId);

public sealed class CancelGenerationHandler(IInteractionRepository interactions, IGenerationCanceller canceller)
    : ICommandHandler<CancelGenerationCommand, CancelledGeneration>
{
    public const string NothingRunningMessage = "No answer is being generated in this conversation.";

    public async ValueTask<CancelledGeneration> Handle(CancelGenerationCommand command, CancellationToken cancellationToken)
    {
        var interaction = await interactions.GetOwnedAsync(command.InteractionId, command.UserId, cancellationToken);
        // A claim whose owner cannot be reached belongs to a generation that is settling right now (or
        // whose instance died and whose lease the sweep will end): either way there is nothing to stop.
        if (interaction.ActiveGenerationId is not { } generationId
            || !await canceller.CancelAsync(generationId, StopReason.UserRequested, cancellationToken))
            throw new NotFoundException(NothingRunningMessage);
        return new CancelledGeneration(generationId);
    }
}
