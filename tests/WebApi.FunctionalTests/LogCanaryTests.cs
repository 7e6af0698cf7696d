using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Students' messages, passwords and tokens are personal data: with ENABLE_LOGS=true none reaches any log line.</summary>
public sealed class LogCanaryTests
{
    [Test]
    public async Task EnableLogs_MarkedMessagePasswordAndTokens_AppearInNoLogLine()
    {
        var marker = "CANARY" + Guid.NewGuid().ToString("N")[..12];
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["ENABLE_LOGS"] = "true" });
        using var client = factory.CreateClient();
        var email = $"{marker.ToLowerInvariant()}@example.com";
        var password = marker + "pw1";
        var user = await client.RegisterAsync(email, password);

        await client.StreamAsync(user.Token, new { message = $"Please explain {marker} to me", max_tokens = 60 });
        using (var simple = await client.GetAsync(
                   $"/api/stream/stream-simple?message={marker}+simple&access_token={user.Token}", HttpCompletionOption.ResponseHeadersRead))
            await SseStream.ReadAllAsync(simple);
        using (await client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/login", null,
                   JsonSerializer.Serialize(new { email, password = password + "wrong" })))) { }
        using (await client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/stream/stream-conversation", user.Token,
                   $"{{\"message\": \"{marker}\", \"bogus_{marker}\": 1}}"))) { }
        await Task.Delay(200);

        var lines = factory.Logs.Lines.ToList();
        Assert.That(lines, Is.Not.Empty, "the capturing provider must have seen the run");
        Assert.That(lines.Any(l => l.Contains("Debug", StringComparison.Ordinal)), Is.True, "ENABLE_LOGS turns on debug logs");
        var tokenTail = user.Token[^20..];
        Assert.That(lines.Where(l => l.Contains(marker, StringComparison.OrdinalIgnoreCase)), Is.Empty);
        Assert.That(lines.Where(l => l.Contains(tokenTail, StringComparison.Ordinal)), Is.Empty);
    }
}
