using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Contract;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>
/// The admin role comes only from an operator command run on the server's machine and is checked in the
/// database on every admin call; the server refuses to start without a signing key outside Development.
/// </summary>
public sealed class OperatorAndStartupTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Register_EmailListedInAdminEmails_GetsNoAdminRole()
    {
        var email = $"ops-{Guid.NewGuid():N}@example.com";
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Admin:Emails:0"] = email });
        using var client = factory.CreateClient();
        var squatter = await client.RegisterAsync(email);

        using var response = await CreditAsync(client, squatter.Token, squatter.Id, 1000);
        Assert.That((int)response.StatusCode, Is.EqualTo(403), await response.Content.ReadAsStringAsync());
        var account = await client.GetJsonAsync("/api/account", squatter.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30));
    }

    [Test]
    public async Task AdminCall_TokenClaimingAdminForAStudent_Is403()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        var student = await client.RegisterAsync();

        using var response = await CreditAsync(client, TestTokens.Mint(student.Id, role: "admin"), student.Id, 50);
        Assert.That((int)response.StatusCode, Is.EqualTo(403), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AdminCommand_GrantThenRevoke_TakesEffectOnTheNextCall()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient();
        var operatorUser = await client.RegisterAsync();
        var student = await client.RegisterAsync();
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings:StudyGuru"] = $"Data Source={factory.DatabaseFile};Default Timeout=30",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };

        var granted = await ApiProgram.RunAsync(["admin", "grant", operatorUser.Email.ToUpperInvariant()], environment, CommandTimeout);
        Assert.That(granted.Code, Is.EqualTo(0), granted.Output);
        Assert.That(granted.Output, Does.Contain(operatorUser.Email).IgnoreCase);

        // The token was issued before the grant: the role is read from the database, not from the token.
        using (var credited = await CreditAsync(client, operatorUser.Token, student.Id, 50))
            Assert.That((int)credited.StatusCode, Is.EqualTo(200), await credited.Content.ReadAsStringAsync());
        var account = await client.GetJsonAsync("/api/account", student.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(80));

        var revoked = await ApiProgram.RunAsync(["admin", "revoke", operatorUser.Email], environment, CommandTimeout);
        Assert.That(revoked.Code, Is.EqualTo(0), revoked.Output);
        using var refused = await CreditAsync(client, operatorUser.Token, student.Id, 50);
        Assert.That((int)refused.StatusCode, Is.EqualTo(403), await refused.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task AdminCommand_UnknownEmailOrBadUsage_ExitsNonZeroWithAMessage()
    {
        using var factory = new StudyGuruApiFactory();
        using var client = factory.CreateClient(); // starts the API, which creates the database
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings:StudyGuru"] = $"Data Source={factory.DatabaseFile};Default Timeout=30",
        };
        var unknown = await ApiProgram.RunAsync(["admin", "grant", "nobody@example.com"], environment, CommandTimeout);
        Assert.That(unknown.Code, Is.Not.Null.And.Not.EqualTo(0), unknown.Output);
        Assert.That(unknown.Output, Does.Contain("nobody@example.com"));

        var usage = await ApiProgram.RunAsync(["admin", "promote"], environment, CommandTimeout);
        Assert.That(usage.Code, Is.Not.Null.And.Not.EqualTo(0), usage.Output);
        Assert.That(usage.Output, Does.Contain("admin grant"));
    }

    [Test]
    public async Task Start_OutsideDevelopmentWithoutSigningKey_ExitsNonZeroWithAClearMessage()
    {
        var data = Path.Combine(Path.GetTempPath(), "studyguru-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Jwt:SigningKey"] = "",
            ["Metrics:Port"] = LiveApiServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings:StudyGuru"] = $"Data Source={Path.Combine(data, "studyguru.db")};Default Timeout=30",
            ["Media:Root"] = Path.Combine(data, "media"),
        };
        var exit = await ApiProgram.RunAsync(["--urls", $"http://127.0.0.1:{LiveApiServer.FreePort()}"], environment, TimeSpan.FromSeconds(30));

        Assert.That(exit.TimedOut, Is.False, "the server kept running without a signing key:\n" + exit.Output);
        Assert.That(exit.Code, Is.Not.EqualTo(0), exit.Output);
        Assert.That(exit.Output, Does.Contain("Jwt:SigningKey"));
        Assert.That(exit.Output, Does.Not.Contain("Now listening"));
    }

    private static Task<HttpResponseMessage> CreditAsync(HttpClient client, string token, Guid userId, int points) =>
        client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, $"/api/admin/users/{userId}/points", token,
            JsonSerializer.Serialize(new { points, description = "Top-up" })));
}
