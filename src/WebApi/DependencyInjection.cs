using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.Errors;
using StudyGuru.WebApi.GraphQL;
using StudyGuru.WebApi.Health;
using StudyGuru.WebApi.Json;
using StudyGuru.WebApi.Observability;
using StudyGuru.WebApi.OpenApi;

namespace StudyGuru.WebApi;

public static class DependencyInjection
{
    public static IServiceCollection AddWebApi(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        services.AddStudyGuruMediator();
        services.AddSingleton<Sse.StreamStarts>();
        services.AddMemoryCache();
        services.AddControllers()
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = InvalidModelStateProblems.Create);
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions["trace_id"] = TraceIds.Of(context.HttpContext);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddBearerAuthentication();

        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
            policy.SetIsOriginAllowed(origin => origins.Contains(origin, StringComparer.OrdinalIgnoreCase)
                    || environment.IsDevelopment() && IsLocalhost(origin))
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
        }));

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only configured proxies are trusted; with none, the client IP is the connection's.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                if (System.Net.IPAddress.TryParse(proxy, out var address)) options.KnownProxies.Add(address);
            // The middleware checks the peer only when one of the lists is non-empty: with both empty it
            // would trust X-Forwarded-For from anyone, so with no configured proxy it must not apply at all.
            if (options.KnownProxies.Count == 0) options.ForwardedHeaders = ForwardedHeaders.None;
        });

        services.AddStudyGuruGraphQL();

        services.AddHealthChecks().AddCheck<ModelHealthCheck>("model", tags: ["ready"]);

        // Drains in the host's "stopping" phase, before the web server stops: requests still arrive (and get
        // 503) meanwhile. The host's shutdown timeout leaves room for the drain and the settling.
        var drainSeconds = configuration.GetValue("Streaming:DrainSeconds", 10);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(drainSeconds + 20));
        services.AddStudyGuruOpenApi();
        services.AddStudyGuruMetrics();
        services.AddStudyGuruTracing(configuration);
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(NullElementGuard.Modify);
    }

    private static bool IsLocalhost(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.Host is "localhost" or "127.0.0.1";
}
