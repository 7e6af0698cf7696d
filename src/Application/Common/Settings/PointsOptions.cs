namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Points</c>.</summary>
public sealed class PointsOptions
{
    public const string Section = "Points";

    public int SignupBonus { get; set; } = 30;
    /// <summary>A balance that cannot pay for this many answer tokens is refused with 402.</summary>
    public int MinAnswerTokens { get; set; } = 16;
    public int ImageTokenEstimate { get; set; } = 1000;
    public int LeaseSeconds { get; set; } = 60;
    public int SweepSeconds { get; set; } = 60;
}
