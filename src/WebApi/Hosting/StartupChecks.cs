using StudyGuru.Infrastructure.Identity;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// Settings without which the server would start and then fail every request: it refuses to start instead,
/// with a message that says what to set, and a non-zero exit code for the orchestrator.
/// </summary>
public static class StartupChecks
{
    /// <returns>False (after printing why) when the server must not start.</returns>
    public static bool Pass(IServiceProvider services)
    {
        try
        {
            // Resolved once here, not on the first request: a missing or short key fails the start.
            services.GetRequiredService<SigningKeyBytes>();
            return true;
        }
        catch (InvalidOperationException invalid)
        {
            Console.Error.WriteLine($"StudyGuru API refuses to start: {invalid.Message}");
            return false;
        }
    }
}
