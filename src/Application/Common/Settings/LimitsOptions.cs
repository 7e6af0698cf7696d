namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Limits</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    public int GenerationsPerMinute { get; set; } = 30;
    public int ConcurrentGenerationsPerUser { get; set; } = 3;
    public int AuthAttemptsPer5Minutes { get; set; } = 10;
    public int MaxJsonBodyBytes { get; set; } = 65536;
    public int GraphQLConversationSeconds { get; set; } = 55;
}
