using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Identity;

namespace StudyGuru.Infrastructure.Media;

/// <summary>
/// Signed media URLs: <c>{scheme}://{host}/api/media/{id}?expires={unix}&amp;sig={base64url HMAC-SHA256}</c>
/// over the id and the expiry. The key is <c>Media:SigningKey</c>, or one derived from the JWT key, so
/// that every instance behind the load balancer signs and verifies alike.
/// </summary>
public sealed class HmacMediaUrlSigner : IMediaUrlSigner, IMediaUrlVerifier
{
    /// <summary>Separates the media key from the JWT key it is derived from.</summary>
    private const string DerivationLabel = "studyguru-media-urls";

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly IHttpContextAccessor _httpContext;
    private readonly TimeProvider _time;

    public HmacMediaUrlSigner(IOptions<MediaOptions> options, SigningKeyBytes jwtKey, IHttpContextAccessor httpContext, TimeProvider time)
    {
        _key = ResolveKey(options.Value.SigningKey, jwtKey.Value);
        _lifetime = TimeSpan.FromMinutes(options.Value.UrlLifetimeMinutes);
        _httpContext = httpContext;
        _time = time;
    }

    public string CreateUrl(Guid mediaId)
    {
        var expires = _time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        var pathAndQuery = string.Create(CultureInfo.InvariantCulture,
            $"/api/media/{mediaId}?expires={expires}&sig={Base64Url.EncodeToString(Sign(mediaId, expires))}");
        // Scheme and host as the client sees them (forwarded headers are applied to the request by then).
        // Outside a request there is no such thing; the path alone is then the best available.
        return _httpContext.HttpContext?.Request is { } request
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{pathAndQuery}"
            : pathAndQuery;
    }

    public SignedUrlCheck Verify(Guid mediaId, long expiresUnixSeconds, string signature)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Base64Url.TryDecodeFromChars(signature, presented, out var written) || written != presented.Length)
            return SignedUrlCheck.Invalid;
        if (!CryptographicOperations.FixedTimeEquals(presented, Sign(mediaId, expiresUnixSeconds)))
            return SignedUrlCheck.Invalid;
        return _time.GetUtcNow().ToUnixTimeSeconds() >= expiresUnixSeconds ? SignedUrlCheck.Expired : SignedUrlCheck.Valid;
    }

    private byte[] Sign(Guid mediaId, long expiresUnixSeconds) =>
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{mediaId:N}.{expiresUnixSeconds}")));

    private static byte[] ResolveKey(string? configured, byte[] jwtKey)
    {
        if (string.IsNullOrEmpty(configured))
            return HMACSHA256.HashData(jwtKey, Encoding.UTF8.GetBytes(DerivationLabel));
        var bytes = Encoding.UTF8.GetBytes(configured);
        if (bytes.Length < JwtOptions.MinimumKeyBytes)
            throw new InvalidOperationException(
                $"Media:SigningKey must be at least {JwtOptions.MinimumKeyBytes} bytes, or unset to derive it from Jwt:SigningKey.");
        return bytes;
    }
}
