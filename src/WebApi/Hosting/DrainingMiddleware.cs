using StudyGuru.Application.Conversations.Generations;
using StudyGuru.WebApi.Errors;

namespace StudyGuru.WebApi.Hosting;

/// <summary>While the instance drains, every new request (readiness included) is a 503 with Retry-After.</summary>
public sealed class DrainingMiddleware(RequestDelegate next, ShutdownSignal shutdown)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!shutdown.IsDraining)
        {
            await next(http);
            return;
        }
        http.Response.Headers.RetryAfter = "5";
        http.Response.Headers.Connection = "close";
        await ProblemWriter.WriteAsync(http, 503, "Service unavailable", "This server is restarting. Please retry.");
    }
}
