using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using StudyGuru.WebApi.Auth;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>
/// The bearer handler remembers accepted tokens (AcceptedTokenCache), and must still refuse everything the full
/// check refuses: a remembered token once it expired, a forged copy of it, the same token under other parameters.
/// </summary>
[TestFixture]
public sealed class AcceptedTokenCacheTests
{
    private static TokenValidationParameters Parameters(string key = TestTokens.SigningKey) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = "studyguru",
        ValidateAudience = true,
        ValidAudience = "studyguru-clients",
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "sub",
        RoleClaimType = "role",
    };

    [Test]
    public async Task AcceptedToken_IsRefusedOnceItExpired()
    {
        var handler = new AcceptedTokenCache { MapInboundClaims = false };
        var parameters = Parameters();
        var token = TestTokens.Mint(Guid.NewGuid(), expires: DateTime.UtcNow.AddSeconds(2));

        Assert.That((await handler.ValidateTokenAsync(token, parameters)).IsValid, Is.True);
        Assert.That((await handler.ValidateTokenAsync(token, parameters)).IsValid, Is.True, "remembered while it lives");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var late = await handler.ValidateTokenAsync(token, parameters);
        Assert.That(late.IsValid, Is.False);
        Assert.That(late.Exception, Is.InstanceOf<SecurityTokenExpiredException>());
    }

    [Test]
    public async Task ForgedCopyOfAnAcceptedToken_IsRefused()
    {
        var handler = new AcceptedTokenCache { MapInboundClaims = false };
        var parameters = Parameters();
        var token = TestTokens.Mint(Guid.NewGuid());
        Assert.That((await handler.ValidateTokenAsync(token, parameters)).IsValid, Is.True);

        var otherUser = TestTokens.Mint(Guid.NewGuid(), key: "another-signing-key-0123456789abcdef-xyz");
        var forged = token[..token.LastIndexOf('.')] + otherUser[otherUser.LastIndexOf('.')..];
        Assert.That((await handler.ValidateTokenAsync(forged, parameters)).IsValid, Is.False);
    }

    [Test]
    public async Task AcceptedToken_UnderOtherParameters_IsCheckedAgain()
    {
        var handler = new AcceptedTokenCache { MapInboundClaims = false };
        var token = TestTokens.Mint(Guid.NewGuid());
        Assert.That((await handler.ValidateTokenAsync(token, Parameters())).IsValid, Is.True);

        var otherKey = Parameters("another-signing-key-0123456789abcdef-xyz");
        Assert.That((await handler.ValidateTokenAsync(token, otherKey)).IsValid, Is.False);
    }

    [Test]
    public async Task RememberedToken_GivesEachRequestItsOwnClaims()
    {
        var handler = new AcceptedTokenCache { MapInboundClaims = false };
        var parameters = Parameters();
        var userId = Guid.NewGuid();
        var token = TestTokens.Mint(userId);

        var first = await handler.ValidateTokenAsync(token, parameters);
        first.ClaimsIdentity.AddClaim(new Claim("added-by-one-request", "x"));
        // The JWT handler passes a copy of its parameters with every request.
        var second = await handler.ValidateTokenAsync(token, parameters.Clone());

        Assert.That(second.IsValid, Is.True);
        Assert.That(second.SecurityToken, Is.SameAs(first.SecurityToken), "the accepted token was checked again");
        Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity));
        Assert.That(second.ClaimsIdentity.FindFirst("added-by-one-request"), Is.Null);
        Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo(userId.ToString()));
    }
}
