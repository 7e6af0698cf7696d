using Microsoft.AspNetCore.Mvc;

namespace StudyGuru.WebApi.Errors;

/// <summary>Writes RFC 9457 problem responses (application/problem+json) with snake_case extension keys.</summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext http, int status, string title, string? detail = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = TypeFor(status),
            Instance = http.Request.Path,
        };
        if (extensions is not null)
            foreach (var (key, value) in extensions) problem.Extensions[key] = value;

        http.Response.StatusCode = status;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem })) return;

        // The framework's writer only answers clients that accept JSON; a stream request (Accept:
        // text/event-stream) refused before its first byte still gets its problem body.
        problem.Extensions["trace_id"] = http.TraceIdentifier;
        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        await http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json");
    }

    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        402 => "https://tools.ietf.org/html/rfc9110#section-15.5.3",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };
}
