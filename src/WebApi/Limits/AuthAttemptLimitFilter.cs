using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.Limits;

/// <summary>
/// Counts a sign-up or sign-in attempt against the client's per-IP budget before the action runs, so
/// that successful and failed attempts count alike. It runs after model binding and the automatic 400
/// (status precedence puts 400 before 429); a refusal is a RateLimitedException, which the exception
/// handler turns into the 429 problem with <c>Retry-After</c> and <c>X-RateLimit-*</c> headers.
/// </summary>
public sealed class AuthAttemptLimitFilter(IAuthAttemptLimiter limiter) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var http = context.HttpContext;
        await limiter.CountAttemptAsync(ClientAddress.KeyOf(http), http.RequestAborted);
        await next();
    }
}

/// <summary>Puts an action under the per-IP budget of <c>Limits:AuthAttemptsPer5Minutes</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class LimitAuthAttemptsAttribute() : TypeFilterAttribute(typeof(AuthAttemptLimitFilter));
