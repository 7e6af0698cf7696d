using Mediator;
using StudyGuru.Application.Interactions.Common;

namespace StudyGuru.Application.Interactions.UpdateInteraction;

/// <summary>Renames and/or pins a thread; a field left null is left as it is.</summary>
public sealed record UpdateInteractionCommand(Guid UserId, Guid InteractionId, string? Title, bool? IsPinned) : ICommand<InteractionDto>;
