namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Media</c>.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>With several instances this must be storage that every instance sees (a shared volume).</summary>
    public string Root { get; set; } = "data/media";
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
    public int UrlLifetimeMinutes { get; set; } = 60;
    /// <summary>
    /// The image bytes that all running model calls of one instance may hold at once (200 MB: four answers
    /// with five 10 MB images each); further calls wait for their turn.
    /// </summary>
    public long ModelImageBudgetBytes { get; set; } = 200 * 1024 * 1024;
    /// <summary>Derived from Jwt:SigningKey when unset, so that every instance signs alike.</summary>
    public string? SigningKey { get; set; }
}
