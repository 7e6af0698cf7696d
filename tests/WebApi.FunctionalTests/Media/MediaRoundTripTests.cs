using System.Net.Http.Json;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

public sealed class MediaRoundTripTests
{
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private static IEnumerable<TestCaseData> EveryKind()
    {
        yield return new TestCaseData(ImageSamples.Png(), "image/png").SetArgDisplayNames("png");
        yield return new TestCaseData(ImageSamples.Jpeg(), "image/jpeg").SetArgDisplayNames("jpeg");
        yield return new TestCaseData(ImageSamples.Gif(), "image/gif").SetArgDisplayNames("gif");
        yield return new TestCaseData(ImageSamples.WebP(), "image/webp").SetArgDisplayNames("webp-lossless");
        yield return new TestCaseData(ImageSamples.LossyWebP(), "image/webp").SetArgDisplayNames("webp-lossy");
    }

    [TestCaseSource(nameof(EveryKind))]
    public async Task Upload_ImageUnderMisleadingNameAndType_Returns201WithTypeFromItsBytes(byte[] bytes, string expectedType)
    {
        var user = await _client.RegisterAsync();

        using var response = await _client.PostMediaAsync(user.Token, bytes, fileName: "scan.bin", declaredType: "application/octet-stream");

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var mediaId = body.GetProperty("media_id").GetGuid();
        Assert.That(body.GetProperty("file_type").GetString(), Is.EqualTo(expectedType));
        Assert.That(body.GetProperty("size").GetInt64(), Is.EqualTo(bytes.Length));
        Assert.That(body.GetProperty("file_url").GetString(), Does.StartWith($"http://localhost/api/media/{mediaId}?expires="));
        Assert.That(response.Headers.Location?.ToString(), Does.EndWith($"/api/media/{mediaId}"));
    }

    [Test]
    public async Task Upload_Png_StoresExactBytesUnderMediaRoot()
    {
        var user = await _client.RegisterAsync();
        var png = ImageSamples.Png(1, 2, 3);
        var before = _factory.StoredFiles();

        var media = await _client.UploadAsync(user.Token, png);

        var added = _factory.StoredFiles().Except(before).ToList();
        Assert.That(added, Has.Count.EqualTo(1));
        Assert.That(added[0], Does.Contain(media.MediaId.ToString("N")));
        Assert.That(await File.ReadAllBytesAsync(added[0]), Is.EqualTo(png));
    }

    [Test]
    public async Task GetMedia_OwnerWithBearer_StreamsBytesWithTypeAndCacheHeaders()
    {
        var user = await _client.RegisterAsync();
        var jpeg = ImageSamples.Jpeg();
        var media = await _client.UploadAsync(user.Token, jpeg);

        using var response = await _client.GetMediaAsync($"/api/media/{media.MediaId}", user.Token);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(jpeg));
        Assert.That(response.Headers.CacheControl?.Private, Is.True);
        Assert.That(response.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromMinutes(60)));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    [Test]
    public async Task GetMedia_SignedUrlWithoutBearer_StreamsBytes()
    {
        var user = await _client.RegisterAsync();
        var png = ImageSamples.Png();
        var media = await _client.UploadAsync(user.Token, png);

        using var response = await _client.GetMediaAsync(media.FileUrl);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(png));
        Assert.That(response.Headers.CacheControl?.Private, Is.True);
        Assert.That(response.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.FromMinutes(59)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(60)));
    }

    [Test]
    public async Task GetMedia_SignedUrlOfAnotherUsersMediaWithOwnBearer_StreamsBytes()
    {
        var owner = await _client.RegisterAsync();
        var viewer = await _client.RegisterAsync();
        var media = await _client.UploadAsync(owner.Token, ImageSamples.Gif());

        using var response = await _client.GetMediaAsync(media.FileUrl, viewer.Token);

        Assert.That((int)response.StatusCode, Is.EqualTo(200), "the link itself is the credential");
    }

    [Test]
    public async Task GetMedia_ExpiredSignature_Returns403()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // The test signs like the server: a future expiry works, so the past one fails for its expiry alone.
        using var fresh = await _client.GetMediaAsync(MediaApi.SignedPath(media.MediaId, now + 120));
        Assert.That((int)fresh.StatusCode, Is.EqualTo(200));
        using var expired = await _client.GetMediaAsync(MediaApi.SignedPath(media.MediaId, now - 1));

        var problem = await expired.ReadProblemAsync(403);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("expired"));
    }

    private static IEnumerable<TestCaseData> Tampering()
    {
        yield return new TestCaseData(new Func<string, Guid, string>((url, _) => ChangeFirstSignatureCharacter(url)))
            .SetArgDisplayNames("signature-changed");
        yield return new TestCaseData(new Func<string, Guid, string>((url, _) => ExtendExpiry(url)))
            .SetArgDisplayNames("expiry-extended");
        yield return new TestCaseData(new Func<string, Guid, string>((url, other) => url.Replace(
                url.Split("/api/media/")[1].Split('?')[0], other.ToString(), StringComparison.Ordinal)))
            .SetArgDisplayNames("other-media-id");
        yield return new TestCaseData(new Func<string, Guid, string>((url, _) => url.Split("&sig=")[0]))
            .SetArgDisplayNames("signature-missing");
        yield return new TestCaseData(new Func<string, Guid, string>((url, _) => url + "AAAA"))
            .SetArgDisplayNames("signature-too-long");
    }

    [TestCaseSource(nameof(Tampering))]
    public async Task GetMedia_TamperedSignedUrlWithoutBearer_Returns403(Func<string, Guid, string> tamper)
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());
        var other = await _client.UploadAsync(user.Token, ImageSamples.Png(9, 9, 9));

        using var response = await _client.GetMediaAsync(tamper(media.FileUrl, other.MediaId));

        var problem = await response.ReadProblemAsync(403);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("not valid"));
    }

    [Test]
    public async Task GetMedia_NoBearerAndNoSignature_Returns401()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());

        using var response = await _client.GetMediaAsync($"/api/media/{media.MediaId}");

        await response.ReadProblemAsync(401);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task GetMedia_AnotherUsersMediaWithBearer_Returns404()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var media = await _client.UploadAsync(owner.Token, ImageSamples.Png());

        using var response = await _client.GetMediaAsync($"/api/media/{media.MediaId}", stranger.Token);

        var problem = await response.ReadProblemAsync(404);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("No media file found!"));
    }

    [Test]
    public async Task DeleteMedia_Owner_Returns204AndRemovesRecordAndBytes()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png(4, 5, 6));
        Assert.That(_factory.StoredFiles().Where(f => f.Contains(media.MediaId.ToString("N"), StringComparison.Ordinal)), Is.Not.Empty);

        using var deleted = await _client.DeleteMediaAsync(media.MediaId, user.Token);

        Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        Assert.That(_factory.StoredFiles().Where(f => f.Contains(media.MediaId.ToString("N"), StringComparison.Ordinal)), Is.Empty);
        using var byBearer = await _client.GetMediaAsync($"/api/media/{media.MediaId}", user.Token);
        await byBearer.ReadProblemAsync(404);
        using var bySignedUrl = await _client.GetMediaAsync(media.FileUrl);
        await bySignedUrl.ReadProblemAsync(404);
    }

    [Test]
    public async Task DeleteMedia_AnotherUsersMedia_Returns404AndKeepsIt()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var media = await _client.UploadAsync(owner.Token, ImageSamples.Png());

        using var deleted = await _client.DeleteMediaAsync(media.MediaId, stranger.Token);

        await deleted.ReadProblemAsync(404);
        using var stillThere = await _client.GetMediaAsync($"/api/media/{media.MediaId}", owner.Token);
        Assert.That((int)stillThere.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Upload_WithOwnInteraction_Returns201()
    {
        var user = await _client.RegisterAsync();
        var events = await _client.StreamAsync(user.Token, new { message = "What is 2+2?", max_tokens = 50 });
        var interactionId = events[0].Str("interaction_id")!;

        using var response = await _client.PostMediaAsync(user.Token, ImageSamples.Png(), interactionId: interactionId);

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Upload_WithAnotherUsersInteraction_Returns404AndStoresNothing()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var events = await _client.StreamAsync(owner.Token, new { message = "What is 2+2?", max_tokens = 50 });
        var before = _factory.StoredFiles();

        using var response = await _client.PostMediaAsync(stranger.Token, ImageSamples.Png(), interactionId: events[0].Str("interaction_id"));

        var problem = await response.ReadProblemAsync(404);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("No conversation found!"));
        Assert.That(_factory.StoredFiles(), Is.EquivalentTo(before));
    }

    [Test]
    public async Task Upload_MalformedInteractionId_Returns400NamingTheField()
    {
        var user = await _client.RegisterAsync();

        using var response = await _client.PostMediaAsync(user.Token, ImageSamples.Png(), interactionId: "not-a-uuid");

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("interaction_id", out _), Is.True);
    }

    /// <summary>The first character: the last one of a 32-byte base64url value carries two unused bits.</summary>
    private static string ChangeFirstSignatureCharacter(string url)
    {
        var at = url.IndexOf("&sig=", StringComparison.Ordinal) + "&sig=".Length;
        return url[..at] + (url[at] == 'A' ? 'B' : 'A') + url[(at + 1)..];
    }

    private static string ExtendExpiry(string url)
    {
        var expires = long.Parse(url.Split("expires=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        return url.Replace($"expires={expires}", $"expires={expires + 3600}", StringComparison.Ordinal);
    }
}
