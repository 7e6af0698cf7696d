using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Ai;
using StudyGuru.Infrastructure.Media;
using StudyGuru.TestSupport.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

public sealed class AiServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddAi_NoConfiguration_OfflineModelAndNoTitles()
    {
        using var provider = Build([]);

        var model = provider.GetRequiredService<IChatModel>();
        var titles = await provider.GetRequiredService<ITitleGenerator>().GenerateAsync("q", "a", CancellationToken.None);
        var firstCounter = provider.GetRequiredService<ITokenCounter>();
        var secondCounter = provider.GetRequiredService<ITokenCounter>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.Kind, Is.EqualTo("offline"));
            Assert.That(model.IsReal, Is.False);
            Assert.That(titles, Is.Null);
            Assert.That(secondCounter, Is.SameAs(firstCounter));
        }
    }

    [Test]
    public async Task AddAi_OfflineAnswerWords_BoundFromConfiguration()
    {
        using var provider = Build(new() { ["Ai:Offline:AnswerWords"] = "5", ["Ai:Offline:TokenDelayMs"] = "0" });

        var chunks = await provider.GetRequiredService<IChatModel>().CollectAsync(ChatRequests.Text("Explain photosynthesis"));

        Assert.That(chunks.Count(chunk => chunk.Text is not null), Is.EqualTo(5));
    }

    [Test]
    public async Task AddAi_OpenAIProvider_StreamsFromTheEndpoint()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Script = FakeOpenAiScript.Default with { Tokens = ["Real", " model"] };
        using var provider = Build(new()
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = server.Endpoint.ToString(),
            ["Ai:Model"] = "served-model",
            ["Ai:ApiKey"] = "secret",
        });
        var model = provider.GetRequiredService<IChatModel>();

        var chunks = await model.CollectAsync(ChatRequests.Text("Hi"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.Kind, Is.EqualTo("openai"));
            Assert.That(model.IsReal, Is.True);
            Assert.That(chunks.TextOf(), Is.EqualTo("Real model"));
            Assert.That(server.Requests.Single().Model, Is.EqualTo("served-model"));
            Assert.That(server.Requests.Single().Authorization, Is.EqualTo("Bearer secret"));
        }
    }

    [Test]
    public async Task AddAi_OpenAIWithoutApiKey_StillCallsTheEndpoint()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        using var provider = Build(new() { ["Ai:Provider"] = "openai", ["Ai:Endpoint"] = server.Endpoint.ToString(), ["Ai:Model"] = "llama" });

        var chunks = await provider.GetRequiredService<IChatModel>().CollectAsync(ChatRequests.Text("Hi"));

        Assert.That(chunks.TextOf(), Is.EqualTo("Hello world"));
    }

    [Test]
    public void AddAi_OpenAIProvider_ModelHttpClientHasNoTimeout()
    {
        using var provider = Build(new() { ["Ai:Provider"] = "OpenAI", ["Ai:Endpoint"] = "http://localhost:11434/v1", ["Ai:Model"] = "m" });

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(AiServiceCollectionExtensions.HttpClientName);

        Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [TestCase(null, "m", "Ai:Endpoint")]
    [TestCase("localhost:11434/v1", "m", "Ai:Endpoint")]
    [TestCase("ftp://example.com/v1", "m", "Ai:Endpoint")]
    [TestCase("http://localhost:11434/v1", null, "Ai:Model")]
    [TestCase("http://localhost:11434/v1", " ", "Ai:Model")]
    public void AddAi_OpenAIMisconfigured_FailsNamingTheKey(string? endpoint, string? model, string expectedKey)
    {
        var configuration = Configuration(new() { ["Ai:Provider"] = "OpenAI", ["Ai:Endpoint"] = endpoint, ["Ai:Model"] = model });

        Assert.That(() => new ServiceCollection().AddAi(configuration),
            Throws.InvalidOperationException.With.Message.Contains(expectedKey));
    }

    [Test]
    public void AddAi_UnknownProvider_Fails()
    {
        var configuration = Configuration(new() { ["Ai:Provider"] = "Gemini" });

        Assert.That(() => new ServiceCollection().AddAi(configuration),
            Throws.InvalidOperationException.With.Message.Contains("Ai:Provider"));
    }

    /// <summary>The model adapter reads images from media storage, so the media services are composed too;
    /// the settings are bound where the application binds them.</summary>
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = Configuration(settings);
        return new ServiceCollection().AddLogging().AddSettings(configuration).AddMediaStorage().AddAi(configuration).BuildServiceProvider();
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
