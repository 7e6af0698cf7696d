using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.Application.Media.DeleteMedia;
using StudyGuru.Application.Media.GetMedia;
using StudyGuru.Application.Media.UploadMedia;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Media;

using StudyGuru.WebApi.OpenApi;

namespace StudyGuru.WebApi.Controllers;

/// <summary>Images students attach to their questions (PNG, JPEG, WebP, GIF).</summary>
[ApiController]
[Route("api/media")]
[Authorize]
[Tags("Media")]
public sealed class MediaController(IMediator mediator) : ControllerBase
{
    /// <summary>
    /// Uploads an image. Its kind is decided by its bytes (magic bytes and structure), never by its name
    /// or declared type. <c>file_url</c> is signed and expiring, and works without a bearer header.
    /// </summary>
    [HttpPost]
    [Consumes("multipart/form-data")]
    [MediaUploadLimits]
    [EndpointName("UploadMedia")]
    [EndpointSummary("Upload an image (PNG, JPEG, WebP or GIF)")]
    [ProducesResponseType<UploadedMediaDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IActionResult> Upload(
        IFormFile? file,
        [FromForm(Name = "interaction_id")] string? interactionId,
        CancellationToken cancellationToken)
    {
        await using var content = file?.OpenReadStream();
        var upload = file is null ? null : new UploadedFile(file.Length, content!);
        var uploaded = await mediator.Send(new UploadMediaCommand(User.GetUserId(), interactionId, upload), cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = uploaded.MediaId }, uploaded);
    }

    /// <summary>
    /// The file itself: for its owner with a bearer token, or for anyone with its signed URL
    /// (<c>expires</c> and <c>sig</c>, as in <c>file_url</c>); an expired or altered signature is a 403.
    /// </summary>
    [HttpGet("{id:guid}")]
    [AllowAnonymous]
    [OptionalBearer]
    [EndpointName("GetMedia")]
    [EndpointSummary("Download an image (owner or signed URL)")]
    [ProducesResponseType<Stream>(StatusCodes.Status200OK, "image/png", "image/jpeg", "image/webp", "image/gif")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(
        Guid id,
        [FromQuery(Name = "expires")] long? expires,
        [FromQuery(Name = "sig")] string? sig,
        CancellationToken cancellationToken)
    {
        var signature = expires is null && sig is null ? null : new MediaUrlSignature(expires ?? 0, sig ?? "");
        var userId = User.Identity?.IsAuthenticated == true ? User.GetUserId() : (Guid?)null;
        var media = await mediator.Send(new GetMediaQuery(id, userId, signature), cancellationToken);

        Response.Headers.CacheControl = $"private, max-age={(long)media.CacheFor.TotalSeconds}";
        // The type was decided from the bytes; browsers must not second-guess it.
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(media.Content, media.FileType);
    }

    /// <summary>Deletes one of the caller's images; messages that carried it keep a note that it was removed.</summary>
    [HttpDelete("{id:guid}")]
    [EndpointName("DeleteMedia")]
    [EndpointSummary("Delete an image")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteMediaCommand(User.GetUserId(), id), cancellationToken);
        return NoContent();
    }
}
