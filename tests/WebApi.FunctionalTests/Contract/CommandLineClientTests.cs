namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>The command-line client's checks (health, simple, full, error cases) pass against a live server.</summary>
[NonParallelizable]
public sealed class CommandLineClientTests
{
    [Test]
    public async Task Cli_AllChecksWithRegister_PassAgainstALiveServer()
    {
        await using var server = await LiveApiServer.StartAsync(tokenDelayMs: 2);
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var cli = Path.Combine(RepositoryPaths.Root, "tools", "StudyGuru.Cli", "bin", testOutput.Parent!.Name, testOutput.Name, "studyguru.dll");
        Assert.That(cli, Does.Exist);

        var run = await NodeScripts.RunAsync("dotnet", [cli, "--base-url", server.BaseUrl, "--register", "all"],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n--- server ---\n{server.Output}");
        Assert.That(run.Output, Does.Contain("PASS full").And.Contain("PASS simple").And.Contain("PASS unknown interaction").And.Contain("all checks passed"));
        Assert.That(run.Output, Does.Not.Contain("FAIL"));
    }
}
