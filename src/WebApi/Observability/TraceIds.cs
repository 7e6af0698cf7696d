using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace StudyGuru.WebApi.Observability;

/// <summary>The W3C trace id of a request (32 hex digits), as quoted in problem bodies and written on every log line
/// of the request, so that a client's report leads to the logs and the trace.</summary>
public static class TraceIds
{
    public static string Of(HttpContext http)
    {
        var activity = http.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
        return activity is { IdFormat: ActivityIdFormat.W3C } ? activity.TraceId.ToHexString() : http.TraceIdentifier;
    }
}
