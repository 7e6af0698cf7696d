using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

public sealed class StreamConversationTests
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

    [Test]
    public async Task StreamConversation_NewQuestion_StreamsMetadataTokensAndComplete()
    {
        var user = await _client.RegisterAsync();
        var events = await _client.StreamAsync(user.Token, new { message = "What is 12*(3+4)?", max_tokens = 200 });

        Assert.That(events[0].Type, Is.EqualTo("metadata"));
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
        Assert.That(events.Skip(1).SkipLast(1).Select(e => e.Type), Is.All.EqualTo("token").And.Not.Empty);
        var metadata = events[0];
        Assert.That(metadata.Bool("is_new_interaction"), Is.True);
        Assert.That(metadata.Str("user_id"), Is.EqualTo(user.Id.ToString()));
        Assert.That(metadata.Int("max_tokens"), Is.EqualTo(200));
        var complete = events[^1];
        var joined = string.Concat(events.Where(e => e.Type == "token").Select(e => e.Str("content")));
        Assert.That(complete.Str("content"), Is.EqualTo(joined));
        Assert.That(joined, Does.Contain("84"));
        Assert.That(complete.Str("finish_reason"), Is.EqualTo("stop"));
        Assert.That(complete.Int("tokens_used"), Is.EqualTo(complete.Int("input_tokens") + complete.Int("output_tokens")));
        Assert.That(complete.Int("points_cost"), Is.EqualTo(Math.Max(1, complete.Int("tokens_used") / 100)));
        var generationId = metadata.Str("generation_id");
        Assert.That(events.Select(e => e.Id), Is.EqualTo(events.Select((_, i) => $"{generationId}:{i + 1}")));
    }
}
