using StudyGuru.Application.Conversations.Context;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>Images reach a real OpenAI-compatible endpoint through the Semantic Kernel adapter as inline bytes.</summary>
public sealed class MediaOpenAiTests
{
    private FakeOpenAiServer _server = null!;
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = _server.Endpoint.ToString(),
            ["Ai:Model"] = "test-model",
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task StreamConversation_ImageWithoutText_SendsUploadedBytesAsDataUrlWithTheDocumentPrompt()
    {
        var user = await _client.RegisterAsync();
        var png = ImageSamples.Png(7, 8, 9);
        var media = await _client.UploadAsync(user.Token, png);
        var before = _server.Requests.Count;

        var events = await _client.StreamAsync(user.Token, new { media_files = new[] { new { id = media.MediaId, url = "http://198.51.100.7/not-fetched.png" } }, max_tokens = 100 });

        Assert.That(events[^1].Type, Is.EqualTo("complete"), events[^1].Data.ToString());
        var request = _server.Requests.Skip(before).First(r => r.IsStreaming);
        Assert.That(request.Model, Is.EqualTo("test-model"));
        Assert.That(request.ImageUrls, Is.EqualTo(new[] { $"data:image/png;base64,{Convert.ToBase64String(png)}" }));
        Assert.That(request.Body, Does.Contain(TutorPrompt.DocumentAnalysis));
        Assert.That(request.Body, Does.Not.Contain("198.51.100.7"), "a URL sent by the client is never passed on");
    }

    [Test]
    public async Task StreamConversation_TextAndJpeg_SendsTextAndJpegDataUrl()
    {
        var user = await _client.RegisterAsync();
        var jpeg = ImageSamples.Jpeg();
        var media = await _client.UploadAsync(user.Token, jpeg);
        var before = _server.Requests.Count;

        var events = await _client.StreamAsync(user.Token, new { message = "Solve number 3", media_files = new[] { new { id = media.MediaId } }, max_tokens = 100 });

        Assert.That(events[^1].Type, Is.EqualTo("complete"), events[^1].Data.ToString());
        var request = _server.Requests.Skip(before).First(r => r.IsStreaming);
        Assert.That(request.ImageUrls, Is.EqualTo(new[] { $"data:image/jpeg;base64,{Convert.ToBase64String(jpeg)}" }));
        Assert.That(request.Body, Does.Contain("Solve number 3"));
        Assert.That(request.Body, Does.Not.Contain(TutorPrompt.DocumentAnalysis));
    }
}
