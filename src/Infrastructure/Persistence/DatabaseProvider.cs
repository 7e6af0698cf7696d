namespace StudyGuru.Infrastructure.Persistence;

/// <summary>The values of <c>Database:Provider</c>.</summary>
public static class DatabaseProvider
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
}
