using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Infrastructure.Redis;
using StudyGuru.TestSupport.Redis;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Two app instances on one SQLite file and one real Redis server share the per-IP login budget.</summary>
public sealed class LimitsTwoInstancesTests
{
    [Test]
    public async Task Login_TenAttemptsSplitBetweenTwoInstances_EleventhRefusedOnEither()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.Configuration,
            ["Limits:AuthAttemptsPer5Minutes"] = "10",
        };
        using var first = new StudyGuruApiFactory(settings);
        using var second = new StudyGuruApiFactory(settings, databaseFile: first.DatabaseFile);
        await WaitForRedisAsync(first);
        await WaitForRedisAsync(second);
        using var clientA = first.CreateClient();
        using var clientB = second.CreateClient();

        var user = await clientA.RegisterAsync();
        for (var i = 0; i < 4; i++) await LoginAsync(clientA, user.Email, HttpStatusCode.OK);
        for (var i = 0; i < 5; i++) await LoginAsync(clientB, user.Email, HttpStatusCode.OK);

        using var onA = await clientA.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "secret123" });
        await RateLimitAssertions.AssertRateLimitedAsync(onA, 10, 300);
        using var onB = await clientB.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "secret123" });
        await RateLimitAssertions.AssertRateLimitedAsync(onB, 10, 300);
    }

    private static async Task LoginAsync(HttpClient client, string email, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "secret123" });
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    // The connection is made in the background; until it is up each instance would count in its own memory.
    private static async Task WaitForRedisAsync(StudyGuruApiFactory factory)
    {
        var connection = factory.Services.GetRequiredService<RedisConnection>();
        await connection.ConnectAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (connection.TryGetDatabase() is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "Redis did not become usable");
            await Task.Delay(50);
        }
    }
}
