using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Interactions.CancelGeneration;
using StudyGuru.Application.Interactions.Common;
using StudyGuru.Application.Interactions.DeleteInteraction;
using StudyGuru.Application.Interactions.GetInteraction;
using StudyGuru.Application.Interactions.ListInteractions;
using StudyGuru.Application.Interactions.ListMessages;
using StudyGuru.Application.Interactions.UpdateInteraction;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Contracts;

namespace StudyGuru.WebApi.Controllers;

/// <summary>The caller's threads. Another user's thread answers 404, exactly like a missing one.</summary>
[ApiController]
[Route("api/interactions")]
[Authorize]
[Tags("Interactions")]
public sealed class InteractionsController(IMediator mediator) : ControllerBase
{
    /// <summary>Pinned threads first, then by last message, newest first.</summary>
    [HttpGet]
    [EndpointName("ListInteractions")]
    [EndpointSummary("The caller's threads, pinned first")]
    [ProducesResponseType<Page<InteractionDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<Page<InteractionDto>> List(
        [FromQuery(Name = "page")] int page = 1, [FromQuery(Name = "size")] int size = 10, CancellationToken cancellationToken = default) =>
        await mediator.Send(new ListInteractionsQuery(User.GetUserId(), page, size), cancellationToken);

    /// <summary><c>active_generation_id</c> names a running answer that a reloaded page can resume.</summary>
    [HttpGet("{id:guid}")]
    [EndpointName("GetInteraction")]
    [EndpointSummary("One thread")]
    [ProducesResponseType<InteractionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<InteractionDto> Get(Guid id, CancellationToken cancellationToken) =>
        await mediator.Send(new GetInteractionQuery(User.GetUserId(), id), cancellationToken);

    /// <summary>A rename keeps <c>summary_title</c> and is never replaced by a model-made title.</summary>
    [HttpPatch("{id:guid}")]
    [Consumes("application/json")]
    [EndpointName("UpdateInteraction")]
    [EndpointSummary("Rename or pin a thread")]
    [ProducesResponseType<InteractionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    public async Task<InteractionDto> Update(Guid id, [FromBody] UpdateInteractionRequest request, CancellationToken cancellationToken) =>
        await mediator.Send(new UpdateInteractionCommand(User.GetUserId(), id, request.Title, request.IsPinned), cancellationToken);

    /// <summary>Stops a running answer first; the thread's messages and the media used only there go with it.</summary>
    [HttpDelete("{id:guid}")]
    [EndpointName("DeleteInteraction")]
    [EndpointSummary("Delete a thread")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteInteractionCommand(User.GetUserId(), id), cancellationToken);
        return NoContent();
    }

    /// <summary>Newest first, each with freshly signed media URLs.</summary>
    [HttpGet("{id:guid}/messages")]
    [EndpointName("ListMessages")]
    [EndpointSummary("A thread's messages, newest first")]
    [ProducesResponseType<Page<MessageDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Page<MessageDto>> Messages(
        Guid id, [FromQuery(Name = "limit")] int limit = 12, [FromQuery(Name = "offset")] int offset = 0,
        CancellationToken cancellationToken = default) =>
        await mediator.Send(new ListMessagesQuery(User.GetUserId(), id, limit, offset), cancellationToken);

    /// <summary>
    /// Stops the running answer. Its stream ends with <c>complete</c> and <c>finish_reason: "cancelled"</c>
    /// (charged for what was produced) or, before any token, with an <c>error</c> of code <c>cancelled</c>.
    /// </summary>
    [HttpPost("{id:guid}/cancel")]
    [EndpointName("CancelGeneration")]
    [EndpointSummary("Stop the answer running in a thread")]
    [ProducesResponseType<CancelledGeneration>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Cancel(Guid id, CancellationToken cancellationToken) =>
        Accepted(await mediator.Send(new CancelGenerationCommand(User.GetUserId(), id), cancellationToken));
}
