using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>Media in stream-conversation with the offline model: ownership, the image estimate, the acknowledgement.</summary>
public sealed class MediaConversationTests
{
    private const int ImageTokenEstimate = 1000;

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

    [Test]
    public async Task StreamConversation_AnotherUsersMediaId_Returns404BeforeTheStream()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var media = await _client.UploadAsync(owner.Token, ImageSamples.Png());

        using var response = await _client.SendAsync(
            ApiClient.StreamRequest(stranger.Token, new { message = "What is on this page?", media_files = new[] { new { id = media.MediaId } } }),
            HttpCompletionOption.ResponseHeadersRead);

        var problem = await response.ReadProblemAsync(404);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("No media file found!"));
        var account = await _client.GetJsonAsync("/api/account", stranger.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30), "nothing reserved or charged");
    }

    [Test]
    public async Task StreamConversation_OwnAndUnknownMediaIds_Returns404()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());

        using var response = await _client.SendAsync(
            ApiClient.StreamRequest(user.Token, new { message = "Compare these", media_files = new[] { new { id = media.MediaId }, new { id = Guid.NewGuid() } } }),
            HttpCompletionOption.ResponseHeadersRead);

        await response.ReadProblemAsync(404);
    }

    [Test]
    public async Task StreamConversation_ImageWithoutText_AcknowledgesOnePngAndReservesTheImageEstimate()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());
        const int maxTokens = 200;

        var events = await _client.StreamAsync(user.Token, new { media_files = new[] { new { id = media.MediaId, url = media.FileUrl } }, max_tokens = maxTokens });

        var metadata = events[0];
        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        Assert.That(complete.Str("content"), Does.Contain("I received 1 image (PNG)."));
        var inputTokens = complete.Int("input_tokens");
        Assert.That(inputTokens, Is.GreaterThan(ImageTokenEstimate).And.LessThan(ImageTokenEstimate + 200),
            "the prompt's tokens plus one image estimate");
        Assert.That(metadata.Int("reserved_points"), Is.EqualTo((inputTokens + maxTokens) / 100));
    }

    [Test]
    public async Task StreamConversation_WithImages_RecordsTheMediaOnTheUserMessage()
    {
        var user = await _client.RegisterAsync();
        var png = await _client.UploadAsync(user.Token, ImageSamples.Png());
        var gif = await _client.UploadAsync(user.Token, ImageSamples.Gif());

        var events = await _client.StreamAsync(user.Token, new
        {
            message = "Question 2 please",
            media_files = new[] { new { id = png.MediaId }, new { id = gif.MediaId } },
            max_tokens = 300,
        });

        Assert.That(events[^1].Str("content"), Does.Contain("I received 2 images (PNG, GIF)."));
        var interactionId = Guid.Parse(events[0].Str("interaction_id")!);
        using var scope = _factory.Services.CreateScope();
        var messages = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
            .GetRecentMessagesAsync(interactionId, 10, CancellationToken.None);
        var question = messages.Single(m => m.Role == Domain.Interactions.MessageRole.User);
        Assert.That(question.Media.Select(m => (m.MediaId, m.FileType)),
            Is.EqualTo(new[] { (png.MediaId, "image/png"), (gif.MediaId, "image/gif") }));
        Assert.That(question.Media.Select(m => m.Removed), Is.All.False);
    }

    [Test]
    public async Task DeleteMedia_CarriedByAMessage_KeepsTheLinkMarkedRemoved()
    {
        var user = await _client.RegisterAsync();
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());
        var events = await _client.StreamAsync(user.Token, new { message = "Look", media_files = new[] { new { id = media.MediaId } }, max_tokens = 100 });

        using var deleted = await _client.DeleteMediaAsync(media.MediaId, user.Token);

        Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        using var scope = _factory.Services.CreateScope();
        var messages = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
            .GetRecentMessagesAsync(Guid.Parse(events[0].Str("interaction_id")!), 10, CancellationToken.None);
        var link = messages.SelectMany(m => m.Media).Single();
        Assert.That(link.MediaId, Is.EqualTo(media.MediaId));
        Assert.That(link.Removed, Is.True);
    }
}
