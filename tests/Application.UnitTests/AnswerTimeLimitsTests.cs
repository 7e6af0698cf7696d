using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.UnitTests;

public sealed class AnswerTimeLimitsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Test]
    public void FirstTokenTimeoutEarlier_IsTheFirstDeadline_ThenTheRestOfTheLongestDuration()
    {
        var limits = new AnswerTimeLimits(60 * Second, 300 * Second);
        Assert.That(limits.FirstDeadline, Is.EqualTo(60 * Second));
        Assert.That(limits.AfterFirstToken(10 * Second), Is.EqualTo(290 * Second));
        Assert.That(limits.AfterFirstToken(301 * Second), Is.EqualTo(TimeSpan.Zero));
        Assert.That(limits.ReasonAt(0), Is.EqualTo(StopReason.None));
        Assert.That(limits.ReasonAt(3), Is.EqualTo(StopReason.TimeLimit));
    }

    [Test]
    public void LongestDurationEarlier_IsTheOnlyDeadline()
    {
        var limits = new AnswerTimeLimits(60 * Second, 30 * Second);
        Assert.That(limits.FirstDeadline, Is.EqualTo(30 * Second));
        Assert.That(limits.AfterFirstToken(10 * Second), Is.Null);
        Assert.That(limits.ReasonAt(0), Is.EqualTo(StopReason.TimeLimit));
        Assert.That(limits.ReasonAt(3), Is.EqualTo(StopReason.TimeLimit));
    }
}
