using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Accounts.Common;
using StudyGuru.Application.Accounts.GetAccount;
using StudyGuru.Application.Accounts.ListTransactions;
using StudyGuru.WebApi.Auth;

namespace StudyGuru.WebApi.Controllers;

/// <summary>The caller's account and points.</summary>
[ApiController]
[Route("api/account")]
[Authorize]
[Tags("Accounts")]
public sealed class AccountController(IMediator mediator) : ControllerBase
{
    /// <summary><c>current_points</c> is what can be spent now: points held by running answers are not in it.</summary>
    [HttpGet]
    [EndpointName("GetAccount")]
    [EndpointSummary("The caller's account and balance")]
    [ProducesResponseType<AccountDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<AccountDto> Get(CancellationToken cancellationToken) =>
        await mediator.Send(new GetAccountQuery(User.GetUserId()), cancellationToken);

    /// <summary>The points ledger, newest first.</summary>
    [HttpGet("points/transactions")]
    [EndpointName("ListPointsTransactions")]
    [EndpointSummary("The points ledger, newest first")]
    [ProducesResponseType<Page<TransactionDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<Page<TransactionDto>> Transactions(
        [FromQuery(Name = "page")] int page = 1, [FromQuery(Name = "size")] int size = 10, CancellationToken cancellationToken = default) =>
        await mediator.Send(new ListTransactionsQuery(User.GetUserId(), page, size), cancellationToken);
}
