namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>Finds the repository root (the folder with StudyGuru.sln) so tests can read docs and write artifacts.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts")).FullName;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "StudyGuru.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No StudyGuru.sln above {AppContext.BaseDirectory}.");
    }
}
