namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// Structured JSON logs with the request id and the W3C trace id on every line of a request (logging scopes). <c>ENABLE_LOGS=true</c> turns
/// on debug logs of the streaming pipeline and SQL — still never a message's text, a token or a password:
/// the categories that could print request data (the hosting request log with its query string, MVC's
/// action arguments) stay at Warning whatever the setting.
/// </summary>
public static class LoggingSetup
{
    public static void ConfigureStudyGuruLogging(this WebApplicationBuilder builder)
    {
        var logging = builder.Logging;
        logging.ClearProviders();
        // The W3C trace id (and span id) of the current request or generation on every line written inside one.
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.UseUtcTimestamp = true;
        });

        // Read when loggers are created, so that configuration added after this point (tests, reloads) counts.
        var configuration = builder.Configuration;
        bool Verbose() => string.Equals(configuration["ENABLE_LOGS"], "true", StringComparison.OrdinalIgnoreCase);
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        logging.AddFilter("StudyGuru", level => level >= (Verbose() ? LogLevel.Debug : LogLevel.Information));
        // SQL text with parameter placeholders only: sensitive data logging is never enabled.
        logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", level => level >= (Verbose() ? LogLevel.Information : LogLevel.Warning));
    }
}
