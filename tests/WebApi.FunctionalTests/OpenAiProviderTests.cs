using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>The whole API on the real Semantic Kernel connector against a local OpenAI-compatible server.</summary>
public sealed class OpenAiProviderTests
{
    private FakeOpenAiServer _server = null!;
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _factory = new StudyGuruApiFactory(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = _server.Endpoint.ToString().TrimEnd('/'),
            ["Ai:Model"] = "test-model",
            ["Ai:ApiKey"] = "test-key",
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        _factory.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task StreamConversation_ProviderUsage_IsWhatIsCharged()
    {
        _server.Script = FakeOpenAiScript.Default with { Tokens = ["The", " answer", " is", " 4."], PromptTokens = 250, CompletionTokens = 60 };
        var user = await _client.RegisterAsync();

        // max_tokens 400 reserves enough that the provider's larger input count is charged in full.
        var events = await _client.StreamAsync(user.Token, new { message = $"What is 2+2? {Guid.NewGuid()}", max_tokens = 400 });

        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        Assert.That(complete.Str("content"), Is.EqualTo("The answer is 4."));
        Assert.That(complete.Int("input_tokens"), Is.EqualTo(250));
        Assert.That(complete.Int("output_tokens"), Is.EqualTo(60));
        Assert.That(complete.Int("points_cost"), Is.EqualTo(3));
    }

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(500, "model_error").SetName("Provider500IsModelError");
        yield return new TestCaseData(401, "model_error").SetName("Provider401IsModelError");
        yield return new TestCaseData(429, "model_unavailable").SetName("Provider429IsModelUnavailable");
        yield return new TestCaseData(503, "model_unavailable").SetName("Provider503IsModelUnavailable");
    }

    [TestCaseSource(nameof(Failures))]
    public async Task StreamConversation_ProviderFails_ErrorEventAfterMetadataAndNothingCharged(int status, string code)
    {
        _server.Script = FakeOpenAiScript.Default with { ErrorStatus = status };
        var user = await _client.RegisterAsync();

        var events = await _client.StreamAsync(user.Token, new { message = $"Hello {Guid.NewGuid()}", max_tokens = 100 });

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "metadata", "error" }));
        Assert.That(events[1].Str("code"), Is.EqualTo(code));
        Assert.That(events[1].Str("error"), Is.Not.Empty);
        var account = await _client.GetJsonAsync("/api/account", user.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(30), "the reservation is returned");
    }

    [Test]
    public async Task StreamConversation_ServerIgnoresLimit_IsCutAtMaxTokensWithLength()
    {
        _server.Script = FakeOpenAiScript.Default with
        {
            Tokens = Enumerable.Range(0, 200).Select(i => $" word{i}").ToList(),
            IgnoreMaxCompletionTokens = true,
            SendUsage = false,
        };
        var user = await _client.RegisterAsync();

        var events = await _client.StreamAsync(user.Token, new { message = $"Talk {Guid.NewGuid()}", max_tokens = 20 });

        var complete = events[^1];
        Assert.That(complete.Str("finish_reason"), Is.EqualTo("length"));
        Assert.That(complete.Int("output_tokens"), Is.LessThanOrEqualTo(20));
    }
}
