using System.Globalization;
using System.Text.RegularExpressions;
using System.Web;

namespace StudyGuru.Application.Chat.SendChatMessage;

/// <summary>
/// The two forms a <c>file</c> part's URL may take: a base64 <c>data:</c> URL (what the AI SDK makes of a
/// picked file) or one of this server's signed media URLs (what a restored chat carries). Anything else is
/// refused: the server never fetches a URL a client sent.
/// </summary>
public static partial class InlineImage
{
    public static bool IsAcceptableUrl(string? url) => IsDataUrl(url) || ParseSignedMediaUrl(url) is not null;

    public static bool IsDataUrl(string? url) =>
        url is not null && url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        && url.IndexOf(',', StringComparison.Ordinal) is var comma and > 0
        && url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bytes of a base64 data URL, or null when its payload is not base64.</summary>
    public static byte[]? DecodeDataUrl(string url)
    {
        var payload = url.AsSpan(url.IndexOf(',', StringComparison.Ordinal) + 1);
        var bytes = new byte[payload.Length / 4 * 3 + 3];
        return Convert.TryFromBase64Chars(payload, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>The media id, expiry and signature of a URL shaped like this server's media URLs; the caller verifies them.</summary>
    public static SignedMediaUrl? ParseSignedMediaUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        var match = MediaPath().Match(uri.AbsolutePath);
        if (!match.Success || !Guid.TryParse(match.Groups["id"].Value, out var mediaId)) return null;
        var query = HttpUtility.ParseQueryString(uri.Query);
        if (!long.TryParse(query["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || query["sig"] is not { Length: > 0 } sig)
            return null;
        return new SignedMediaUrl(mediaId, expires, sig);
    }

    [GeneratedRegex("/api/media/(?<id>[0-9a-fA-F-]{36})$")]
    private static partial Regex MediaPath();
}

public sealed record SignedMediaUrl(Guid MediaId, long ExpiresUnixSeconds, string Signature);
