using Mediator;
using StudyGuru.Application.Accounts.AdminRole;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.WebApi.Hosting;

/// <summary>
/// Commands an operator runs on the server's machine with the server's own program and configuration
/// (<c>dotnet StudyGuru.WebApi.dll admin grant ops@example.com</c>); they change the database and exit
/// without starting the web server. See docs/deployment.md.
/// </summary>
public static class OperatorCommandLine
{
    public const string Usage = """
        Usage: StudyGuru.WebApi admin grant <email>    give the account the admin role
               StudyGuru.WebApi admin revoke <email>   take it back (its tokens stop opening admin endpoints at once)
        The database is the one the server's configuration names (Database:Provider, ConnectionStrings:StudyGuru).
        """;

    /// <summary>True when the command line asks for an operator command rather than the web server.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "admin";

    /// <returns>The process exit code: 0 when done, 1 when refused, 2 for a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (args.Length != 3 || args[1] is not ("grant" or "revoke"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var grant = args[1] == "grant";
        var email = args[2];
        try
        {
            await using var scope = services.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var result = await mediator.Send(new SetAdminRoleCommand(email, grant), cancellationToken);
            var what = grant ? "has the admin role" : "no longer has the admin role";
            Console.WriteLine($"{result.Email} ({result.UserId}) {what}{(result.Changed ? "." : " (unchanged).")}");
            return 0;
        }
        catch (NotFoundException notFound)
        {
            await Console.Error.WriteLineAsync(notFound.Message);
            return 1;
        }
        catch (System.Data.Common.DbException database)
        {
            await Console.Error.WriteLineAsync(
                $"The database could not be updated ({database.Message}). Check Database:Provider and ConnectionStrings:StudyGuru; a new database gets its tables when the server first starts.");
            return 1;
        }
        catch (RequestValidationException)
        {
            await Console.Error.WriteLineAsync($"'{email}' is not an email address.\n{Usage}");
            return 2;
        }
    }
}
