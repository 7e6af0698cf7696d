namespace StudyGuru.Infrastructure.Persistence.Configurations;

/// <summary>Bounded lengths, so that SQL Server can index the columns and rejects runaway values.</summary>
internal static class ColumnLengths
{
    public const int Email = 256;
    public const int PasswordHash = 512;
    public const int PersonName = 100;
    public const int Code = 20;
    public const int Title = 200;
    public const int Description = 1000;
    public const int FileType = 100;
    public const int StorageKey = 200;
    public const int IdempotencyKey = 200;
    public const int RequestHash = 128;
    public const int ChatId = 64;
}
