using StudyGuru.Application.Abstractions;
using StudyGuru.TestSupport.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

public sealed class SemanticKernelTitleGeneratorTests
{
    private FakeOpenAiServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeOpenAiServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task GenerateAsync_CannedJsonReply_ParsesBothTitles()
    {
        _server.Script = FakeOpenAiScript.Default with
        {
            NonStreamingContent = "{\"title\": \"Quadratic equations\", \"summary_title\": \"Help with solving quadratics\"}",
        };

        var titles = await OpenAiAdapters.TitleGenerator(_server.Endpoint).GenerateAsync("How do I solve x^2-1=0?", "Factor it.", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(titles, Is.EqualTo(new GeneratedTitles("Quadratic equations", "Help with solving quadratics")));
            Assert.That(_server.Requests.Single().IsStreaming, Is.False);
            Assert.That(_server.Requests.Single().Body, Does.Contain("How do I solve x^2-1=0?"));
        }
    }

    [Test]
    public async Task GenerateAsync_ReplyInCodeFence_Parsed()
    {
        _server.Script = FakeOpenAiScript.Default with
        {
            NonStreamingContent = "Here you go:\n```json\n{\"title\": \"Cell biology\", \"summary_title\": \"Help with cells\"}\n```",
        };

        var titles = await OpenAiAdapters.TitleGenerator(_server.Endpoint).GenerateAsync("q", "a", CancellationToken.None);

        Assert.That(titles, Is.EqualTo(new GeneratedTitles("Cell biology", "Help with cells")));
    }

    [TestCase("Sure! A good title would be Cell biology.")]
    [TestCase("{\"title\": }")]
    [TestCase("{\"name\": \"Cell biology\"}")]
    [TestCase("{\"title\": \"   \"}")]
    [TestCase("[\"Cell biology\"]")]
    [TestCase("")]
    public async Task GenerateAsync_UnusableReply_Null(string reply)
    {
        _server.Script = FakeOpenAiScript.Default with { NonStreamingContent = reply };

        var titles = await OpenAiAdapters.TitleGenerator(_server.Endpoint).GenerateAsync("q", "a", CancellationToken.None);

        Assert.That(titles, Is.Null);
    }

    [TestCase(401)]
    [TestCase(500)]
    [TestCase(503)]
    public async Task GenerateAsync_ProviderError_NullWithoutThrowing(int status)
    {
        _server.Script = FakeOpenAiScript.Default with { ErrorStatus = status };

        var titles = await OpenAiAdapters.TitleGenerator(_server.Endpoint).GenerateAsync("q", "a", CancellationToken.None);

        Assert.That(titles, Is.Null);
    }

    [Test]
    public async Task GenerateAsync_ConnectionRefused_Null()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreePorts.OneThatIsClosed()}/v1");

        var titles = await OpenAiAdapters.TitleGenerator(closedPort).GenerateAsync("q", "a", CancellationToken.None);

        Assert.That(titles, Is.Null);
    }

    [Test]
    public async Task GenerateAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(
            () => OpenAiAdapters.TitleGenerator(_server.Endpoint).GenerateAsync("q", "a", cancellation.Token));
    }
}
