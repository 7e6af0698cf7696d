using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Identity;

/// <summary>HS256 tokens with the user id in the standard <c>sub</c> claim.</summary>
public sealed class JwtAccessTokenIssuer(
    IOptions<JwtOptions> options, SigningKeyBytes key, TimeProvider time) : IAccessTokenIssuer
{
    private readonly JwtSecurityTokenHandler _handler = new() { MapInboundClaims = false };

    public AccessToken Issue(User user)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(jwt.LifetimeMinutes);
        var token = new JwtSecurityToken(
            issuer: jwt.Issuer,
            audience: jwt.Audience,
            claims:
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                // Informational only: the admin endpoints read the role from the database on every call.
                new Claim("role", user.Role),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ],
            notBefore: now,
            expires: now + lifetime,
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(key.Value), SecurityAlgorithms.HmacSha256));
        return new AccessToken(_handler.WriteToken(token), (int)lifetime.TotalSeconds);
    }
}

/// <summary>The resolved signing key, shared by the issuer, the bearer validation and media URL signing.</summary>
public sealed record SigningKeyBytes(byte[] Value);
