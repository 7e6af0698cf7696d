using System.Globalization;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.WebApi.Sse;

/// <summary>The <c>Last-Event-ID</c> a reconnecting client sends: <c>&lt;generation_id&gt;:&lt;sequence&gt;</c>.</summary>
public readonly record struct LastEventId(Guid GenerationId, long Sequence)
{
    public const string HeaderName = "Last-Event-ID";

    /// <summary>Null when the header is absent; a malformed value is a 400.</summary>
    public static LastEventId? FromRequest(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values)) return null;
        var value = values.ToString().Trim();
        if (value.Length == 0) return null;
        var colon = value.LastIndexOf(':');
        if (colon > 0
            && Guid.TryParse(value.AsSpan(0, colon), out var generationId)
            && long.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && sequence >= 0)
        {
            return new LastEventId(generationId, sequence);
        }
        throw RequestValidationException.For("Last-Event-ID", "Last-Event-ID must look like '<generation_id>:<sequence>'.");
    }
}
