using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.WebApi.Health;

/// <summary>
/// <c>/health/ready</c>: <c>status</c> and <c>model</c> always; per-dependency details only in Development
/// or when <c>Health:ShowDetails</c> is true. Redis down is <c>degraded</c> with 200, so that one shared
/// Redis failing does not take every instance out of the load balancer.
/// </summary>
public static class ReadinessResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var services = http.RequestServices;
        var showDetails = services.GetRequiredService<IConfiguration>().GetValue<bool?>("Health:ShowDetails")
            ?? services.GetRequiredService<IWebHostEnvironment>().IsDevelopment();
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status switch
            {
                HealthStatus.Healthy => "healthy",
                HealthStatus.Degraded => "degraded",
                _ => "unhealthy",
            },
            ["model"] = services.GetRequiredService<IChatModel>().Kind,
        };
        if (showDetails)
        {
            body["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description, duration_ms = e.Value.Duration.TotalMilliseconds });
        }
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
