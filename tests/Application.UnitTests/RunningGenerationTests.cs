using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.UnitTests;

public sealed class RunningGenerationTests
{
    [Test]
    public void RunningGeneration_LastReaderLeavesWithZeroGrace_StopsAsClientLeft()
    {
        using var generation = new RunningGeneration(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), TimeSpan.Zero, TimeProvider.System);
        var first = generation.AttachReader();
        var second = generation.AttachReader();
        first.Dispose();
        Assert.That(generation.StopToken.IsCancellationRequested, Is.False);
        second.Dispose();
        Assert.That(generation.StopToken.IsCancellationRequested, Is.True);
        Assert.That(generation.StopReason, Is.EqualTo(StopReason.ClientLeft));
    }

    [Test]
    public void RunningGeneration_FirstStopReasonWins()
    {
        using var generation = new RunningGeneration(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), TimeSpan.Zero, TimeProvider.System);
        generation.Stop(StopReason.UserRequested);
        generation.Stop(StopReason.ShuttingDown);
        Assert.That(generation.StopReason, Is.EqualTo(StopReason.UserRequested));
    }
}
