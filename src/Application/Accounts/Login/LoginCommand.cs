using Mediator;
using StudyGuru.Application.Accounts.Common;

namespace StudyGuru.Application.Accounts.Login;

public sealed record LoginCommand(string? Email, string? Password) : ICommand<AuthResult>;
