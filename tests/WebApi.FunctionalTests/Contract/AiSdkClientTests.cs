using System.Security.Cryptography;
using StudyGuru.TestSupport.OpenAi;
using StudyGuru.WebApi.FunctionalTests.Media;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>
/// The real AI SDK against the API on a real port: the `ai` package's DefaultChatTransport and
/// readUIMessageStream under Node (tests/e2e/aisdk-transport.e2e.mjs), and the docs' React example with
/// @ai-sdk/react's useChat in headless Chromium (tests/e2e/aisdk-chat.e2e.mjs). Fails (never skips) when
/// Node or the browser is missing.
/// </summary>
[NonParallelizable]
public sealed class AiSdkClientTests
{
    [Test]
    public async Task Transport_AgainstALiveServer_ChunksPassTheSdkSchemaAndTheMessageCarriesTheCharge()
    {
        await NodeScripts.EnsureInstalledAsync();
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 5);

        var run = await NodeScripts.NodeAsync("aisdk-transport.e2e.mjs",
            new Dictionary<string, string> { ["STUDYGURU_BASE_URL"] = server.BaseUrl }, TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        Assert.That(run.Output, Does.Contain("AISDK TRANSPORT OK"));
    }

    [Test]
    public async Task UseChat_InChromium_StreamsResumesAfterReloadStopsAndShowsRefusals()
    {
        var chromium = Chromium();
        await NodeScripts.EnsureInstalledAsync();
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 60);

        var run = await NodeScripts.NodeAsync("aisdk-chat.e2e.mjs", new Dictionary<string, string>
        {
            ["STUDYGURU_BASE_URL"] = server.BaseUrl,
            ["CHROMIUM_PATH"] = chromium,
            ["AISDK_SCENARIOS"] = "streaming,resume,stop,refusals",
        }, TimeSpan.FromMinutes(3));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        Assert.That(run.Output, Does.Contain("STREAMING OK").And.Contain("RESUME OK").And.Contain("STOP OK")
            .And.Contain("REFUSALS OK").And.Contain("AISDK CHAT OK"));
    }

    [Test]
    public async Task UseChat_InChromium_AnAttachedImageReachesTheModelAsItsBytes()
    {
        var chromium = Chromium();
        await NodeScripts.EnsureInstalledAsync();
        await using var model = await FakeOpenAiServer.StartAsync();
        await using var server = await LiveApiServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = model.Endpoint.ToString(),
            ["Ai:Model"] = "test-model",
        });
        var png = ImageSamples.Png(12, 34, 56);

        var run = await NodeScripts.NodeAsync("aisdk-chat.e2e.mjs", new Dictionary<string, string>
        {
            ["STUDYGURU_BASE_URL"] = server.BaseUrl,
            ["CHROMIUM_PATH"] = chromium,
            ["AISDK_SCENARIOS"] = "image",
            ["AISDK_IMAGE_BASE64"] = Convert.ToBase64String(png),
        }, TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        var sent = model.Requests.SelectMany(r => r.ImageUrls).ToList();
        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(sent[0], Does.StartWith("data:image/png;base64,"));
        var bytes = Convert.FromBase64String(sent[0]["data:image/png;base64,".Length..]);
        Assert.That(Convert.ToHexString(SHA256.HashData(bytes)), Is.EqualTo(Convert.ToHexString(SHA256.HashData(png))));
    }

    private static string Chromium()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            Assert.Fail($"Chromium not found at {chromium}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.");
        return chromium;
    }
}
