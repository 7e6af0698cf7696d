using System.Diagnostics;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// One line per request with method, path, status and duration — never the query string, which can
/// carry a student's message or an access token (the hosting layer's own request log is turned off).
/// </summary>
public sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            LogRequest(http.Request.Method, http.Request.Path.Value ?? "/", http.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRequest(string method, string path, int statusCode, double elapsedMs);
}
