using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>
/// The per-IP budget of register and login (<c>Limits:AuthAttemptsPer5Minutes</c>) and where the client IP
/// comes from. Requests through HttpClient have no remote address (TestServer): they share the fallback key.
/// </summary>
public sealed class LimitsAuthAttemptTests
{
    private const int Budget = 10;
    private const int WindowSeconds = 300;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Limits:AuthAttemptsPer5Minutes"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Test]
    public async Task RegisterAndLogin_EleventhAttemptFromOneClient_Is429WithEveryHeader()
    {
        using var factory = new StudyGuruApiFactory(Settings());
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        for (var i = 0; i < 4; i++)
        {
            using var success = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "secret123" });
            Assert.That(success.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        for (var i = 0; i < 5; i++)
        {
            using var failure = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong-password" });
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "failed attempts count too");
        }

        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "secret123" });
        await RateLimitAssertions.AssertRateLimitedAsync(login, Budget, WindowSeconds);
        using var register = await client.PostAsJsonAsync("/api/auth/register",
            new { email = $"late-{Guid.NewGuid():N}@example.com", password = "secret123" });
        await RateLimitAssertions.AssertRateLimitedAsync(register, Budget, WindowSeconds);
    }

    [TestCase("203.0.113.5")]
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public async Task Login_ForwardedForFromAnUntrustedPeer_IsIgnoredAndThePeerIsLimited(string peer)
    {
        using var factory = new StudyGuruApiFactory(Settings());
        for (var i = 0; i < Budget; i++)
        {
            var attempt = await LoginAsync(factory.Server, peer, forwardedFor: $"198.51.100.{i + 1}");
            Assert.That(attempt.Response.StatusCode, Is.EqualTo(StatusCodes.Status401Unauthorized));
        }

        var refused = await LoginAsync(factory.Server, peer, forwardedFor: "198.51.100.200");
        var otherPeer = await LoginAsync(factory.Server, "203.0.113.99", forwardedFor: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Response.StatusCode, Is.EqualTo(StatusCodes.Status429TooManyRequests), "the forwarded address was not trusted");
            Assert.That(refused.Response.Headers["X-RateLimit-Limit"].ToString(), Is.EqualTo("10"));
            Assert.That(otherPeer.Response.StatusCode, Is.EqualTo(StatusCodes.Status401Unauthorized), "another peer has its own budget");
        }
    }

    [Test]
    public async Task Login_ForwardedForFromAKnownProxy_LimitsEachForwardedClient()
    {
        using var factory = new StudyGuruApiFactory(Settings(("ForwardedHeaders:KnownProxies:0", "10.0.0.1")));
        for (var i = 0; i < Budget; i++)
        {
            var attempt = await LoginAsync(factory.Server, "10.0.0.1", forwardedFor: "198.51.100.7");
            Assert.That(attempt.Response.StatusCode, Is.EqualTo(StatusCodes.Status401Unauthorized));
        }

        var sameClient = await LoginAsync(factory.Server, "10.0.0.1", forwardedFor: "198.51.100.7");
        var otherClient = await LoginAsync(factory.Server, "10.0.0.1", forwardedFor: "198.51.100.8");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sameClient.Response.StatusCode, Is.EqualTo(StatusCodes.Status429TooManyRequests));
            Assert.That(otherClient.Response.StatusCode, Is.EqualTo(StatusCodes.Status401Unauthorized),
                "the proxy's own address is not the key: each forwarded client has its own budget");
        }
    }

    private static async Task<HttpContext> LoginAsync(TestServer server, string peer, string? forwardedFor)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { email = "nobody@example.com", password = "wrong-password" });
        return await server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/api/auth/login";
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = body.Length;
            context.Request.Body = new MemoryStream(body);
            if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
    }
}
