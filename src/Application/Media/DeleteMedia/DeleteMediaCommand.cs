using Mediator;

namespace StudyGuru.Application.Media.DeleteMedia;

/// <summary>Deletes one of the caller's files; the messages that carried it keep a link marked removed.</summary>
public sealed record DeleteMediaCommand(Guid UserId, Guid MediaId) : ICommand;
