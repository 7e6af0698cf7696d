namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Jwt</c>. Tokens are HS256; the key must be at least 32 bytes.</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumKeyBytes = 32;

    /// <summary>Used only in Development when no key is configured; the app refuses to start elsewhere without one.</summary>
    public const string DevelopmentKey = "studyguru-development-signing-key-not-for-production-use";

    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "studyguru";
    public string Audience { get; set; } = "studyguru-clients";
    public int LifetimeMinutes { get; set; } = 1440;
}
