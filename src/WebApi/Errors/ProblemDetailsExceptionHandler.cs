using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.WebApi.Errors;

/// <summary>
/// The one place where the application's closed set of exceptions becomes HTTP: a problem response
/// with the status of docs/streaming-api.md, "Status codes". Anything else is a 500 without details.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted) return false;
        switch (exception)
        {
            case RequestValidationException validation:
                await ProblemWriter.WriteAsync(http, 400, "One or more validation errors occurred.", null,
                    new Dictionary<string, object?> { ["errors"] = validation.Errors });
                break;
            case UnauthorizedException unauthorized:
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await ProblemWriter.WriteAsync(http, 401, "Unauthorized", unauthorized.Message);
                break;
            case InsufficientPointsException points:
                await ProblemWriter.WriteAsync(http, 402, "Insufficient points", points.Message,
                    new Dictionary<string, object?> { ["current_points"] = points.CurrentPoints, ["required_points"] = points.RequiredPoints });
                break;
            case ForbiddenException forbidden:
                await ProblemWriter.WriteAsync(http, 403, "Forbidden", forbidden.Message);
                break;
            case PayloadTooLargeException tooLarge:
                await ProblemWriter.WriteAsync(http, 413, "Payload too large", tooLarge.Message);
                break;
            case UnsupportedMediaTypeException unsupported:
                await ProblemWriter.WriteAsync(http, 415, "Unsupported media type", unsupported.Message);
                break;
            case NotFoundException notFound:
                await ProblemWriter.WriteAsync(http, 404, "Not found", notFound.Message);
                break;
            case ConflictException conflict:
                await ProblemWriter.WriteAsync(http, 409, "Conflict", conflict.Message,
                    conflict.GenerationId is { } id ? new Dictionary<string, object?> { ["generation_id"] = id } : null);
                break;
            case UnprocessableException unprocessable:
                await ProblemWriter.WriteAsync(http, 422, "Unprocessable request", unprocessable.Message);
                break;
            case RateLimitedException limited:
                RateLimitHeaders.Write(http.Response, limited.Limit, limited.Remaining, limited.RetryAfter);
                await ProblemWriter.WriteAsync(http, 429, "Too many requests", limited.Message);
                break;
            case NoContentException:
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case ServiceUnavailableException unavailable:
                http.Response.Headers.RetryAfter = "5";
                await ProblemWriter.WriteAsync(http, 503, "Service unavailable", unavailable.Message);
                break;
            case BadHttpRequestException badRequest:
                await ProblemWriter.WriteAsync(http, badRequest.StatusCode,
                    badRequest.StatusCode == 413 ? "Request body too large" : "Bad request", badRequest.Message);
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                // The client left before the response started: nobody to answer.
                http.Response.StatusCode = 499;
                break;
            default:
                LogUnhandled(exception.GetType().Name, http.Request.Path, exception);
                await ProblemWriter.WriteAsync(http, 500, "An unexpected error occurred.",
                    "The request could not be completed. Please try again.");
                break;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Path}")]
    private partial void LogUnhandled(string exceptionType, string path, Exception exception);
}

/// <summary>The headers of every 429: the limit that refused, what is left, and when it resets.</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, int limit, int remaining, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers.RetryAfter = seconds;
        response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = seconds;
    }
}
