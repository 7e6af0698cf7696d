using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using StudyGuru.Application.Conversations.ResumeGeneration;
using StudyGuru.WebApi.Auth;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// A request that carries <c>Last-Event-ID</c> never starts a generation: it resumes the named one
/// (204 when it has ended, 404 when it is not the caller's). This runs before model binding because
/// <c>Last-Event-ID</c> outranks body validation in the status precedence, and a browser's automatic
/// reconnect must never buy a second answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResumeFromLastEventIdAttribute : Attribute, IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (LastEventId.FromRequest(http.Request) is not { } position)
        {
            await next();
            return;
        }
        var starts = http.RequestServices.GetRequiredService<StreamStarts>();
        var query = new ResumeGenerationQuery(http.User.GetUserId(), position.GenerationId, position.Sequence);
        context.Result = new ResumedStreamResult(cancellation => starts.OpenAsync(query, cancellation));
    }
}
