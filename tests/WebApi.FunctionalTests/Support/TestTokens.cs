using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>Mints tokens with the test key, for the cases that registration cannot produce (expired, forged...).</summary>
public static class TestTokens
{
    public const string SigningKey = "functional-tests-signing-key-0123456789abcdef";

    public static string Mint(Guid userId, string issuer = "studyguru", string audience = "studyguru-clients",
        DateTime? expires = null, string key = SigningKey, string role = "student")
    {
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(issuer, audience,
            [new Claim("sub", userId.ToString()), new Claim("role", role)],
            notBefore: now.AddMinutes(-10), expires: expires ?? now.AddHours(1),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
