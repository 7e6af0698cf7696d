using Mediator;
using StudyGuru.Application.Accounts.Common;

namespace StudyGuru.Application.Accounts.Register;

public sealed record RegisterCommand(string? Email, string? Password, string? FirstName, string? LastName) : ICommand<AuthResult>;
