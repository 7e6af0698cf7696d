using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>
/// Every refused upload is a clear problem response and leaves storage untouched. This API's storage
/// only ever sees refused uploads, so "nothing written" is checked as "the media folder holds no file".
/// </summary>
public sealed class MediaUploadRefusalTests
{
    private const int MaxBytes = 4096;

    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;
    private ApiClient.RegisteredUser _user = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Media:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _client = _factory.CreateClient();
        _user = await _client.RegisterAsync();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TearDown]
    public void NothingWasStored() => Assert.That(_factory.StoredFiles(), Is.Empty);

    [Test]
    public async Task Upload_TextFileNamedPng_Returns415()
    {
        using var response = await _client.PostMediaAsync(_user.Token, ImageSamples.Text(), fileName: "homework.png", declaredType: "image/png");

        var problem = await response.ReadProblemAsync(415);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("PNG, JPEG, WebP or GIF"));
    }

    private static IEnumerable<TestCaseData> DamagedImages()
    {
        yield return new TestCaseData(ImageSamples.TruncatedPng()).SetArgDisplayNames("png-truncated");
        yield return new TestCaseData(ImageSamples.CorruptPng()).SetArgDisplayNames("png-bad-crc");
        yield return new TestCaseData(ImageSamples.JpegWithoutEndOfImage()).SetArgDisplayNames("jpeg-no-eoi");
        yield return new TestCaseData(ImageSamples.Jpeg()[..20]).SetArgDisplayNames("jpeg-header-only");
        yield return new TestCaseData(ImageSamples.GifWithoutTrailer()).SetArgDisplayNames("gif-no-trailer");
        yield return new TestCaseData(ImageSamples.Gif()[..13]).SetArgDisplayNames("gif-screen-descriptor-only");
        yield return new TestCaseData(ImageSamples.WebPWithWrongRiffSize()).SetArgDisplayNames("webp-riff-size");
        yield return new TestCaseData(ImageSamples.WebP()[..^4]).SetArgDisplayNames("webp-truncated");
    }

    [TestCaseSource(nameof(DamagedImages))]
    public async Task Upload_TruncatedOrCorruptImage_Returns415(byte[] bytes)
    {
        using var response = await _client.PostMediaAsync(_user.Token, bytes);

        var problem = await response.ReadProblemAsync(415);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("truncated or corrupt"));
    }

    [Test]
    public async Task Upload_EmptyFile_Returns400NamingFile()
    {
        using var response = await _client.PostMediaAsync(_user.Token, []);

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem.GetProperty("errors").GetProperty("file")[0].GetString(), Does.Contain("empty"));
    }

    [Test]
    public async Task Upload_MissingFilePart_Returns400NamingFile()
    {
        using var response = await _client.PostMediaAsync(_user.Token, bytes: null);

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("file", out _), Is.True);
    }

    [Test]
    public async Task Upload_MalformedMultipartBody_Returns400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media")
        {
            Content = new ByteArrayContent("no boundary in sight"u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _user.Token);

        using var response = await _client.SendAsync(request);

        var problem = await response.ReadProblemAsync(400);
        Assert.That(problem.GetProperty("errors").TryGetProperty("body", out _), Is.True);
    }

    [Test]
    public async Task Upload_JustOverMaxBytes_Returns413()
    {
        var png = ImageSamples.Png();
        var oversize = png.Concat(new byte[MaxBytes + 1 - png.Length]).ToArray(); // a PNG followed by padding

        using var response = await _client.PostMediaAsync(_user.Token, oversize);

        var problem = await response.ReadProblemAsync(413);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Upload_FarOverMaxBytes_Returns413BeforeReadingTheBody()
    {
        using var response = await _client.PostMediaAsync(_user.Token, new byte[MaxBytes + 256 * 1024]);

        await response.ReadProblemAsync(413);
    }

    [Test]
    public async Task Upload_ExactlyMaxBytes_IsNotRefusedForSize()
    {
        // A PNG followed by padding up to the limit: accepted as a PNG (trailing bytes after IEND are tolerated).
        var png = ImageSamples.Png();
        var atLimit = png.Concat(new byte[MaxBytes - png.Length]).ToArray();
        var other = await _client.RegisterAsync();

        using var response = await _client.PostMediaAsync(other.Token, atLimit);

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        // This one was stored on purpose; remove it so the storage check after each test still holds.
        var location = response.Headers.Location!.ToString();
        using var deleted = await _client.DeleteMediaAsync(Guid.Parse(location[(location.LastIndexOf('/') + 1)..]), other.Token);
        Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
    }

    [Test]
    public async Task Upload_WithoutToken_Returns401()
    {
        using var response = await _client.PostMediaAsync(token: null, ImageSamples.Png());

        await response.ReadProblemAsync(401);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }
}
