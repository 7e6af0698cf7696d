namespace StudyGuru.Application.Common.Settings;

/// <summary>Configuration section <c>Streaming</c>.</summary>
public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    public int HeartbeatSeconds { get; set; } = 15;
    /// <summary>How long a generation keeps running after its last reader left (0: cancel at once).</summary>
    public int DisconnectGraceSeconds { get; set; } = 10;
    public int MaxDurationSeconds { get; set; } = 300;
    public int DrainSeconds { get; set; } = 10;
    /// <summary>How long an ended generation's buffer stays readable; it keeps every event of the generation
    /// (at most max_tokens + 2, so never trimmed), then replays come from the database.</summary>
    public int BufferTtlMinutes { get; set; } = 10;
    /// <summary>How many streams' starts (everything before their first event) run at once on this instance; the
    /// others wait for a turn, in order of arrival, holding no database context (docs/performance.md).</summary>
    public int MaxConcurrentStarts { get; set; } = 128;
    /// <summary>How many ended generations settle at once on this instance; the others wait for a turn holding no
    /// database context, which is leased only for the settlement (docs/performance.md).</summary>
    public int MaxConcurrentSettlements { get; set; } = 128;
}
