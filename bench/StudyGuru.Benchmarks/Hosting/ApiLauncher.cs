using System.Net.Http.Json;
using System.Text.Json;

namespace StudyGuru.Benchmarks.Hosting;

/// <summary>
/// Starts the API as it ships (Production, embedded defaults: SQLite, in-memory cache, offline model) on a
/// fresh SQLite file, with limits raised so that only capacity is measured, and registers a few users.
/// </summary>
public static class ApiLauncher
{
    /// <summary>Users shared by all clients: registering costs a password hash each, so there are few.</summary>
    public const int UserCount = 64;

    private const string Password = "bench-Password-1";

    /// <param name="registerUsers">False for a second instance on the same database: its users exist already.</param>
    public static async Task<Target> StartAsync(
        StreamSettings settings, IReadOnlyDictionary<string, string> extraEnvironment, bool registerUsers = true)
    {
        var assembly = RepositoryPaths.WebApiAssembly;
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"The API is not built; `dotnet run -c Release --project bench/StudyGuru.Benchmarks` builds it.", assembly);

        var scratch = Directory.CreateTempSubdirectory("studyguru-bench-").FullName;
        var port = ServerProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            // Production serves /metrics on a management port (9464 by default): one of its own, so that several
            // instances (and other runs on this machine) do not collide.
            ["Metrics__Port"] = ServerProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings__StudyGuru"] = $"Data Source={Path.Combine(scratch, "studyguru.db")};Default Timeout=30",
            ["Media__Root"] = Path.Combine(scratch, "media"),
            ["Database__Provider"] = "Sqlite",
            ["Redis__Configuration"] = "",
            ["Ai__Provider"] = "Offline",
            ["Ai__Offline__TokenDelayMs"] = settings.TokenDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ai__Offline__AnswerWords"] = settings.AnswerWords.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            ["Points__SignupBonus"] = "100000000",
            ["Limits__ConcurrentGenerationsPerUser"] = "1000000",
            ["Limits__GenerationsPerMinute"] = "100000000",
            ["Limits__AuthAttemptsPer5Minutes"] = "1000000",
        };
        foreach (var (key, value) in extraEnvironment) environment[key] = value;

        // The content root is the working directory: the API's folder, where its appsettings.json is.
        var server = await ServerProcess.StartAsync("api", assembly, [], environment,
            Path.GetDirectoryName(assembly)!, Path.Combine(scratch, "api.log"), "/health/ready", port, TimeSpan.FromMinutes(2));
        try
        {
            var tokens = registerUsers ? await RegisterUsersAsync(server.BaseAddress) : [];
            return new Target("api", server, tokens, scratch);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<IReadOnlyList<string>> RegisterUsersAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var tokens = new string[UserCount];
        await Parallel.ForAsync(0, UserCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var response = await http.PostAsJsonAsync("/api/auth/register",
                new { email = $"bench-user-{i}@example.com", password = Password }, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Registering a benchmark user failed with {(int)response.StatusCode}: {body}");
            tokens[i] = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        });
        return tokens;
    }
}
