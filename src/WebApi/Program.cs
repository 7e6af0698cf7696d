using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using StudyGuru.Application;
using StudyGuru.Infrastructure;
using StudyGuru.Infrastructure.Persistence;
using StudyGuru.WebApi;
using StudyGuru.WebApi.Errors;
using StudyGuru.WebApi.Health;
using StudyGuru.WebApi.Hosting;
using StudyGuru.WebApi.Observability;
using StudyGuru.WebApi.OpenApi;
using StudyGuru.WebApi.Playground;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestLineSize = UrlLengthLimitMiddleware.KestrelRequestLineLimit;
    kestrel.Limits.MaxRequestBufferSize = UrlLengthLimitMiddleware.KestrelRequestLineLimit + 64 * 1024;
});
builder.ConfigureStudyGuruLogging();
builder.ListenOnMetricsPort();

builder.Services
    .AddApplication(builder.Configuration)
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddWebApi(builder.Configuration, builder.Environment);

var app = builder.Build();

if (OperatorCommandLine.IsCommand(args))
{
    Environment.ExitCode = await OperatorCommandLine.RunAsync(args, app.Services, app.Lifetime.ApplicationStopping);
    return;
}
if (!StartupChecks.Pass(app.Services))
{
    Environment.ExitCode = 1;
    return;
}

await app.Services.MigrateDatabaseAsync(app.Lifetime.ApplicationStopping);

app.UseForwardedHeaders();
app.UseMiddleware<DrainingMiddleware>();
app.UseMiddleware<UrlLengthLimitMiddleware>();
app.UseMiddleware<RequestLogMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
app.UseCors();
app.UseStudyGuruPlayground();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<JsonBodyLimitMiddleware>();

app.MapOpenApi();
app.UseStudyGuruSwaggerUi();
app.MapStudyGuruMetrics();
app.MapControllers();
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = ReadinessResponseWriter.WriteAsync,
    ResultStatusCodes =
    {
        [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy] = StatusCodes.Status200OK,
        [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded] = StatusCodes.Status200OK,
        [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
    },
});

app.Run();

/// <summary>Visible to WebApplicationFactory in the functional tests.</summary>
public partial class Program;
