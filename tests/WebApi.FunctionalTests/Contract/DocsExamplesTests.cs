using System.Text.RegularExpressions;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>
/// The client examples of docs/streaming-api.md cannot rot: the guide's code blocks are the files under
/// docs/examples verbatim, and each file runs against a live server (tests/e2e/run-doc-examples.mjs).
/// </summary>
[NonParallelizable]
public sealed partial class DocsExamplesTests
{
    private static string GuidePath => Path.Combine(RepositoryPaths.Root, "docs", "streaming-api.md");
    private static string ExamplesFolder => Path.Combine(RepositoryPaths.Root, "docs", "examples");

    [Test]
    public void Guide_CodeBlocksWithATitle_AreTheExampleFilesVerbatim()
    {
        var guide = File.ReadAllText(GuidePath).ReplaceLineEndings("\n");
        var blocks = TitledBlock().Matches(guide).ToDictionary(m => m.Groups["title"].Value, m => m.Groups["code"].Value);
        var files = Directory.GetFiles(ExamplesFolder).Select(f => $"docs/examples/{Path.GetFileName(f)}").ToList();

        Assert.That(blocks.Keys, Is.EquivalentTo(files), "every example file appears once in the guide, and nothing else is titled");
        foreach (var (title, code) in blocks)
        {
            var file = File.ReadAllText(Path.Combine(RepositoryPaths.Root, title)).ReplaceLineEndings("\n");
            Assert.That(code, Is.EqualTo(file), $"the guide's block for {title} differs from the file");
        }
    }

    [Test]
    public async Task Examples_AgainstALiveServer_EachStreamsAnAnswerAndItsCompleteEvent()
    {
        await NodeScripts.EnsureInstalledAsync();
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 5);

        var run = await NodeScripts.NodeAsync("run-doc-examples.mjs",
            new Dictionary<string, string> { ["STUDYGURU_BASE_URL"] = server.BaseUrl }, TimeSpan.FromMinutes(3));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        Assert.That(run.Output, Does.Contain("6 passed, 0 failed"), run.Output);
    }

    [GeneratedRegex("```[a-z]+ title=\"(?<title>[^\"]+)\"\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex TitledBlock();
}
