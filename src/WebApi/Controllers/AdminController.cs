using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Accounts.CreditPoints;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Contracts;

namespace StudyGuru.WebApi.Controllers;

/// <summary>Operators' tools (tokens with the role <c>admin</c>).</summary>
[ApiController]
[Route("api/admin")]
[Authorize(Policy = BearerAuthentication.AdminPolicy)]
[Tags("Admin")]
public sealed class AdminController(IMediator mediator) : ControllerBase
{
    /// <summary>Tops up a student: a <c>purchased</c> ledger entry.</summary>
    [HttpPost("users/{userId:guid}/points")]
    [Consumes("application/json")]
    [EndpointName("CreditPoints")]
    [EndpointSummary("Credit points to a user")]
    [ProducesResponseType<AccountDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<AccountDto> CreditPoints(Guid userId, [FromBody] CreditPointsRequest request, CancellationToken cancellationToken) =>
        await mediator.Send(new CreditPointsCommand(userId, request.Points, request.Description), cancellationToken);
}
