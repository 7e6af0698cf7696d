using StudyGuru.Infrastructure.Media;

namespace StudyGuru.Infrastructure.IntegrationTests.Media;

/// <summary>The bound on image bytes that running model calls hold at once.</summary>
public sealed class ImageBytesBudgetTests
{
    [Test]
    public async Task AcquireAsync_OverTheBudget_WaitsUntilEarlierLeasesAreReleased()
    {
        var budget = new ImageBytesBudget(100);
        var first = await budget.AcquireAsync(60, CancellationToken.None);
        var second = budget.AcquireAsync(60, CancellationToken.None);
        await Task.Delay(50);
        Assert.That(second.IsCompleted, Is.False, "60 + 60 bytes exceed a budget of 100");

        first.Dispose();
        using var granted = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(budget.Available, Is.EqualTo(40));
    }

    [Test]
    public async Task AcquireAsync_LargerThanTheWholeBudget_TakesAllOfItAndStillRuns()
    {
        var budget = new ImageBytesBudget(100);
        using (await budget.AcquireAsync(500, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))
            Assert.That(budget.Available, Is.Zero);
        Assert.That(budget.Available, Is.EqualTo(100));
    }

    [Test]
    public async Task AcquireAsync_CancelledWhileWaiting_LetsTheNextWaiterIn()
    {
        var budget = new ImageBytesBudget(100);
        var held = await budget.AcquireAsync(50, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var big = budget.AcquireAsync(100, cancel.Token);
        var small = budget.AcquireAsync(50, CancellationToken.None);
        await Task.Delay(50);
        Assert.That(small.IsCompleted, Is.False, "first come, first served: the small one waits behind the big one");

        await cancel.CancelAsync();
        Assert.That(async () => await big, Throws.InstanceOf<OperationCanceledException>());
        using var granted = await small.WaitAsync(TimeSpan.FromSeconds(5));
        held.Dispose();
        Assert.That(budget.Available, Is.EqualTo(50));
    }
}
