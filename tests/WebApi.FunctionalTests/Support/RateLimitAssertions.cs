using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>What every 429 of the API carries: a problem body and the headers of the limit that refused.</summary>
public static class RateLimitAssertions
{
    public static async Task AssertRateLimitedAsync(HttpResponseMessage response, int limit, int maxResetSeconds)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(429), body);
        AssertHeaders(response.Headers, limit, maxResetSeconds);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(429));
    }

    public static void AssertHeaders(HttpResponseHeaders headers, int limit, int maxResetSeconds)
    {
        var retryAfter = Seconds(headers, "Retry-After");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(retryAfter, Is.InRange(1, maxResetSeconds));
            Assert.That(Seconds(headers, "X-RateLimit-Limit"), Is.EqualTo(limit));
            Assert.That(Seconds(headers, "X-RateLimit-Remaining"), Is.Zero);
            Assert.That(Seconds(headers, "X-RateLimit-Reset"), Is.EqualTo(retryAfter));
        }
    }

    private static int Seconds(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
            ? int.Parse(values.Single(), CultureInfo.InvariantCulture)
            : throw new AssertionException($"The 429 has no {name} header.");
}
