using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.WebApi.Media;

/// <summary>
/// The upload endpoint's own body limits, from <c>Media:MaxBytes</c> (configurable, so not a constant
/// [RequestSizeLimit]): the request body and the multipart section may exceed it by the framing only.
/// The form is read here, before model binding, so that an over-size body is a 413 problem and a
/// malformed one a 400 problem instead of a binding error.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MediaUploadLimitsAttribute : Attribute, IAsyncResourceFilter
{
    /// <summary>Room for the multipart boundaries, part headers and the <c>interaction_id</c> field.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!request.HasFormContentType)
        {
            await next();
            return;
        }

        var maxBytes = http.RequestServices.GetRequiredService<IOptions<MediaOptions>>().Value.MaxBytes;
        var limit = maxBytes + MultipartOverheadBytes;
        if (request.ContentLength > limit) throw TooLarge(maxBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit;
        http.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = limit,
            ValueCountLimit = 16,
        }));

        try
        {
            await request.ReadFormAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (InvalidDataException exception) when (exception.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            // The framework's only signal that a section outgrew MultipartBodyLengthLimit is this message.
            throw TooLarge(maxBytes);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            // A body that does not follow its own boundary (or ends early) is the client's mistake.
            throw RequestValidationException.For("body", "The multipart/form-data body could not be read.");
        }
        await next();
    }

    private static PayloadTooLargeException TooLarge(long maxBytes) => new($"Files are limited to {maxBytes} bytes.");
}
