namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>
/// The playground page in headless Chromium (Debian's chromium driven by playwright-core, no browser download)
/// against the API on a real port: sign up, ask, see tokens arrive before the answer completes, see the balance
/// drop. Fails (never skips) when the browser or Node is missing.
/// </summary>
[NonParallelizable]
public sealed class PlaygroundBrowserTests
{
    [Test]
    public async Task Playground_AskAQuestion_StreamsTokensThenChargesTheBalance()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            Assert.Fail($"Chromium not found at {chromium}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.");
        await NodeScripts.EnsureInstalledAsync();
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 60);

        var run = await NodeScripts.NodeAsync("playground.e2e.mjs", new Dictionary<string, string>
        {
            ["STUDYGURU_BASE_URL"] = server.BaseUrl,
            ["CHROMIUM_PATH"] = chromium,
            ["SCREENSHOT_PATH"] = Path.Combine(RepositoryPaths.Artifacts, "playground.png"),
        }, TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        Assert.That(run.Output, Does.Contain("PLAYGROUND OK"));
    }
}
