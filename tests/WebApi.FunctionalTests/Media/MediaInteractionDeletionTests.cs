using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>
/// Deleting a thread takes the media only it used and leaves media that another thread still carries.
/// Exercised through the repository, as the thread-deletion endpoint is not part of this branch.
/// </summary>
public sealed class MediaInteractionDeletionTests
{
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        // Each image counts 1,000 tokens: these threads cost more than the signup bonus.
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Points:SignupBonus"] = "500" });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task DeleteInteraction_MediaOnlyItUsed_IsRemovedWhileSharedMediaStays()
    {
        var user = await _client.RegisterAsync();
        var onlyHere = await _client.UploadAsync(user.Token, ImageSamples.Png(1, 1, 1));
        var shared = await _client.UploadAsync(user.Token, ImageSamples.Png(2, 2, 2));
        var first = await _client.StreamAsync(user.Token, new
        {
            message = "Two pages",
            media_files = new[] { new { id = onlyHere.MediaId }, new { id = shared.MediaId } },
            max_tokens = 100,
        });
        await _client.StreamAsync(user.Token, new { message = "Page again", media_files = new[] { new { id = shared.MediaId } }, max_tokens = 100 });
        var doomed = Guid.Parse(first[0].Str("interaction_id")!);

        IReadOnlyList<string> removedKeys;
        using (var scope = _factory.Services.CreateScope())
            removedKeys = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>().DeleteAsync(doomed, CancellationToken.None);

        Assert.That(removedKeys, Has.Count.EqualTo(1));
        Assert.That(removedKeys[0], Does.Contain(onlyHere.MediaId.ToString("N")));
        using var gone = await _client.GetMediaAsync($"/api/media/{onlyHere.MediaId}", user.Token);
        await gone.ReadProblemAsync(404);
        using var kept = await _client.GetMediaAsync($"/api/media/{shared.MediaId}", user.Token);
        Assert.That((int)kept.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task DeleteInteraction_MediaUploadedForItButNeverSent_IsRemoved()
    {
        var user = await _client.RegisterAsync();
        var events = await _client.StreamAsync(user.Token, new { message = "What is 3*3?", max_tokens = 50 });
        var interactionId = events[0].Str("interaction_id")!;
        var attached = await _client.UploadAsync(user.Token, ImageSamples.Gif(), interactionId);
        var unrelated = await _client.UploadAsync(user.Token, ImageSamples.Jpeg());

        IReadOnlyList<string> removedKeys;
        using (var scope = _factory.Services.CreateScope())
            removedKeys = await scope.ServiceProvider.GetRequiredService<IInteractionRepository>()
                .DeleteAsync(Guid.Parse(interactionId), CancellationToken.None);

        Assert.That(removedKeys.Single(), Does.Contain(attached.MediaId.ToString("N")));
        using var kept = await _client.GetMediaAsync($"/api/media/{unrelated.MediaId}", user.Token);
        Assert.That((int)kept.StatusCode, Is.EqualTo(200));
    }
}
