using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Accounts.Login;
using StudyGuru.Application.Accounts.Register;
using StudyGuru.WebApi.Contracts;
using StudyGuru.WebApi.Limits;

namespace StudyGuru.WebApi.Controllers;

/// <summary>Sign-up and sign-in: both return a bearer token.</summary>
[ApiController]
[Route("api/auth")]
[AllowAnonymous]
[Tags("Accounts")]
public sealed class AuthController(IMediator mediator) : ControllerBase
{
    /// <summary>Creates an account with the signup bonus and returns a bearer token.</summary>
    [HttpPost("register")]
    [LimitAuthAttempts]
    [Consumes("application/json")]
    [EndpointName("Register")]
    [EndpointSummary("Create an account")]
    [ProducesResponseType<AuthResult>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Register([FromBody] RegisterRequest request, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(
            new RegisterCommand(request.Email, request.Password, request.FirstName, request.LastName), cancellationToken);
        return Created("/api/account", result);
    }

    /// <summary>Signs in. A wrong email and a wrong password get the same 401.</summary>
    [HttpPost("login")]
    [LimitAuthAttempts]
    [Consumes("application/json")]
    [EndpointName("Login")]
    [EndpointSummary("Sign in")]
    [ProducesResponseType<AuthResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<AuthResult> Login([FromBody] LoginRequest request, CancellationToken cancellationToken) =>
        await mediator.Send(new LoginCommand(request.Email, request.Password), cancellationToken);
}
