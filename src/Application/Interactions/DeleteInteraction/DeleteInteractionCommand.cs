using Mediator;

namespace StudyGuru.Application.Interactions.DeleteInteraction;

/// <summary>Deletes one of the caller's threads with its messages and the media used only there.</summary>
public sealed record DeleteInteractionCommand(Guid UserId, Guid InteractionId) : ICommand;
