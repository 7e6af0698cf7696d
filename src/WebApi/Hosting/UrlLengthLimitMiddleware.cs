using StudyGuru.WebApi.Errors;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// URLs over <see cref="MaxUrlLength"/> are a 414 problem. Kestrel's own check would answer 414 with an empty
/// body before any middleware runs, so its request-line limit is raised (see Program.cs) and the limit that
/// clients meet is this one.
/// </summary>
public sealed class UrlLengthLimitMiddleware(RequestDelegate next)
{
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Kestrel's own limit, far above ours, so that only absurd request lines get its bare 414.</summary>
    public const int KestrelRequestLineLimit = 1024 * 1024;

    // Not async: a request that passes returns the rest of the pipeline's own task, so no state machine of this
    // middleware stays alive for as long as the request runs (an open stream: docs/performance.md, "Memory per open
    // stream (eighth round)").
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var length = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (length <= MaxUrlLength) return next(http);
        return ProblemWriter.WriteAsync(http, StatusCodes.Status414UriTooLong, "URI too long",
            $"URLs are limited to {MaxUrlLength} characters; send long messages with POST /api/stream/stream-conversation.");
    }
}
