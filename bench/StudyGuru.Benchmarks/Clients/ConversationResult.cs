using System.Diagnostics;

namespace StudyGuru.Benchmarks.Clients;

/// <summary>
/// One conversation as a client saw it. Times are <see cref="Stopwatch"/> timestamps taken when the bytes
/// arrived; <see cref="Error"/> is null when every check passed.
/// </summary>
public sealed class ConversationResult
{
    public long Started { get; init; }
    public long MetadataAt { get; set; }
    public long FirstTokenAt { get; set; }
    public long Ended { get; set; }
    public int Tokens { get; set; }
    public string? Error { get; set; }

    /// <summary>Arrival time of each token event, when the scenario asked for it.</summary>
    public List<long>? TokenTimes { get; init; }

    public bool Succeeded => Error is null;

    public double MillisecondsToMetadata => Milliseconds(Started, MetadataAt);
    public double MillisecondsToFirstToken => Milliseconds(Started, FirstTokenAt);
    public double MillisecondsTotal => Milliseconds(Started, Ended);

    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
