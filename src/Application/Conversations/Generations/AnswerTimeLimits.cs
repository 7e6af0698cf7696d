namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// A generation's two time limits kept as one deadline: until the first token, the first-token timeout (or the
/// longest duration, if that comes first); from the first token on, the longest duration. So one cancellation source
/// with one timer serves both, instead of two sources, two timers and a third source linking them.
/// </summary>
internal readonly record struct AnswerTimeLimits(TimeSpan FirstTokenTimeout, TimeSpan MaxDuration)
{
    /// <summary>When the generation is stopped if no token comes.</summary>
    public TimeSpan FirstDeadline => FirstTokenTimeout < MaxDuration ? FirstTokenTimeout : MaxDuration;

    /// <summary>The time left until the longest duration, once the first token came <paramref name="elapsed"/> after
    /// the start; null when the deadline already is the longest duration.</summary>
    public TimeSpan? AfterFirstToken(TimeSpan elapsed)
    {
        if (FirstTokenTimeout >= MaxDuration) return null;
        var rest = MaxDuration - elapsed;
        // Past it already: stop at once (a zero delay cancels immediately).
        return rest > TimeSpan.Zero ? rest : TimeSpan.Zero;
    }

    /// <summary>Which limit a deadline that passed was: before the first token, the first-token timeout when it is
    /// the earlier one (<see cref="StopReason.None"/>); otherwise the longest duration.</summary>
    public StopReason ReasonAt(int tokensCounted) =>
        tokensCounted == 0 && FirstTokenTimeout < MaxDuration ? StopReason.None : StopReason.TimeLimit;
}
