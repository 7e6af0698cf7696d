using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

public sealed class AuthenticationTests : SharedApiTests
{
    private static string AlgNoneToken(Guid userId)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"{userId}\",\"iss\":\"studyguru\",\"aud\":\"studyguru-clients\",\"exp\":{exp}}}")}.";
    }

    private static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData(null).SetName("NoToken");
        yield return new TestCaseData("bad-signature").SetName("BadSignature");
        yield return new TestCaseData("alg-none").SetName("AlgNone");
        yield return new TestCaseData("expired").SetName("Expired");
        yield return new TestCaseData("wrong-issuer").SetName("WrongIssuer");
        yield return new TestCaseData("wrong-audience").SetName("WrongAudience");
        yield return new TestCaseData("deleted-user").SetName("UserThatNoLongerExists");
        yield return new TestCaseData("garbage").SetName("NotAJwt");
    }

    private string TokenFor(string? kind) => kind switch
    {
        null => "",
        "bad-signature" => TestTokens.Mint(Student.Id, key: "another-signing-key-that-is-long-enough-123"),
        "alg-none" => AlgNoneToken(Student.Id),
        "expired" => TestTokens.Mint(Student.Id, expires: DateTime.UtcNow.AddSeconds(-1)),
        "wrong-issuer" => TestTokens.Mint(Student.Id, issuer: "someone-else"),
        "wrong-audience" => TestTokens.Mint(Student.Id, audience: "other-clients"),
        "deleted-user" => TestTokens.Mint(Guid.NewGuid()),
        _ => "not.a.jwt",
    };

    [TestCaseSource(nameof(BadTokens))]
    public async Task StreamConversation_BadToken_Is401ProblemWithBearerChallenge(string? kind)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stream/stream-conversation")
        {
            Content = new StringContent("{\"message\": \"hi\"}", Encoding.UTF8, "application/json"),
        };
        var token = TokenFor(kind);
        if (token.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task StreamConversation_TokenMintedElsewhereWithSameKey_IsAccepted()
    {
        var events = await Client.StreamAsync(TestTokens.Mint(Student.Id), new { message = "What is 1+1?", max_tokens = 50 });
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
    }

    [Test]
    public async Task StreamConversation_UnauthenticatedWithBadBody_Is401Not400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stream/stream-conversation")
        {
            Content = new StringContent("{not json", Encoding.UTF8, "application/json"),
        };
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task StreamSimple_AccessTokenQueryIsNotAcceptedOnPosts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/stream/stream-conversation?access_token={Student.Token}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { message = "hi" }), Encoding.UTF8, "application/json"),
        };
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task Health_IsAnonymous()
    {
        var body = JsonDocument.Parse(await Client.GetStringAsync("/api/stream/health")).RootElement;
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(body.GetProperty("service").GetString(), Is.EqualTo("interaction-streaming"));
        Assert.That(body.GetProperty("timestamp").GetDouble(), Is.GreaterThan(1_700_000_000));
    }

    [Test]
    public async Task Ready_ReportsStatusAndOfflineModel()
    {
        using var response = await Client.GetAsync("/health/ready");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("offline"));
    }

    [Test]
    public async Task ValidToken_RequestUserHoldsOnlyTheClaimsTheApiReads()
    {
        // An open stream keeps its request's user: the token's other claims (each with a properties dictionary) and
        // the parsed token would stay alive with it (docs/performance.md, "Memory per open stream (sixth round)").
        using var scope = Factory.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Authorization = $"Bearer {Student.Token}";

        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);

        Assert.That(result.Succeeded, Is.True);
        var user = result.Principal!;
        Assert.That(user.Claims.Select(c => (c.Type, c.Value)), Is.EquivalentTo(new[] { ("sub", Student.Id.ToString()), ("role", "student") }));
        Assert.That(user.Identity!.IsAuthenticated, Is.True);
        Assert.That(user.Identity.Name, Is.EqualTo(Student.Id.ToString()));
        Assert.That(user.IsInRole("student"), Is.True);
        Assert.That(user.Claims.All(c => c.Properties.Count == 0), Is.True);
    }
}
