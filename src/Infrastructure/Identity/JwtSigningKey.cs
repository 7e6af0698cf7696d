using System.Text;
using Microsoft.IdentityModel.Tokens;
using StudyGuru.Application.Common.Settings;

namespace StudyGuru.Infrastructure.Identity;

/// <summary>Resolves the HS256 key: the configured one, or the development key in Development only.</summary>
public static class JwtSigningKey
{
    public static byte[] Resolve(JwtOptions options, bool isDevelopment)
    {
        var key = options.SigningKey;
        if (string.IsNullOrEmpty(key))
        {
            if (!isDevelopment)
                throw new InvalidOperationException(
                    "Jwt:SigningKey is not set. Outside Development the API refuses to start without a signing key of at least 32 bytes (environment variable Jwt__SigningKey).");
            key = JwtOptions.DevelopmentKey;
        }
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length < JwtOptions.MinimumKeyBytes)
            throw new InvalidOperationException($"Jwt:SigningKey must be at least {JwtOptions.MinimumKeyBytes} bytes for HS256.");
        return bytes;
    }

    public static SymmetricSecurityKey ToSecurityKey(byte[] bytes) => new(bytes);
}
