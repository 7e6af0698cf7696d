using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace StudyGuru.WebApi.Errors;

/// <summary>
/// Refusals that the framework answers without a body (an unknown route or a route id that is not a GUID: 404,
/// a wrong method: 405, a [Consumes] mismatch: 415) as problem bodies. The built-in status-code pages write
/// text/plain whenever <c>Accept</c> does not name JSON, which includes every SSE client; a problem is what the
/// contract promises whatever <c>Accept</c> says.
/// </summary>
public static class StatusCodeProblems
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            404 => "No resource matches this URL.",
            405 => $"{http.Request.Method} is not allowed on this URL.",
            415 => "This endpoint takes a body of another Content-Type (application/json unless documented otherwise).",
            _ => null,
        };
        return ProblemWriter.WriteAsync(http, status, ReasonPhrases.GetReasonPhrase(status), detail);
    }
}
