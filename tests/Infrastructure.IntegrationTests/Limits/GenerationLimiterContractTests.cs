using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Infrastructure.Limits;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>The rules every generation limiter keeps, run against memory and against a real Redis server.</summary>
public abstract class GenerationLimiterContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan LongSlots = TimeSpan.FromMinutes(10);

    private protected ManualClock Clock { get; private set; } = null!;

    private protected abstract Task<IGenerationLimiter> CreateAsync(GenerationLimitRules rules);

    [SetUp]
    public void NewClock() => Clock = new ManualClock();

    [Test]
    public async Task AcquireAsync_OverMaxRunning_RefusedWithTheConcurrencyNumbers()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(3, 100, LongSlots));
        var user = Guid.NewGuid();
        for (var i = 0; i < 3; i++) await limiter.AcquireAsync(user, Guid.NewGuid(), None);

        var refusal = await Assert.ThrowsAsync<RateLimitedException>(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal!.Limit, Is.EqualTo(3));
            Assert.That(refusal.Remaining, Is.Zero);
            Assert.That(refusal.RetryAfter, Is.EqualTo(GenerationLimitRules.RunningRetryAfter));
        }
    }

    [Test]
    public async Task AcquireAsync_OtherUserAtTheCap_IsNotAffected()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 1, LongSlots));
        await limiter.AcquireAsync(Guid.NewGuid(), Guid.NewGuid(), None);

        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(Guid.NewGuid(), Guid.NewGuid(), None));
    }

    [Test]
    public async Task ReleaseAsync_FreesTheSlotButKeepsThePerMinuteUnit()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 2, LongSlots));
        var user = Guid.NewGuid();
        var first = Guid.NewGuid();
        await limiter.AcquireAsync(user, first, None);
        await limiter.ReleaseAsync(user, first, None);
        var second = Guid.NewGuid();
        await limiter.AcquireAsync(user, second, None);
        await limiter.ReleaseAsync(user, second, None);

        var refusal = await Assert.ThrowsAsync<RateLimitedException>(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal!.Limit, Is.EqualTo(2), "the per-minute limit refused");
            Assert.That(refusal.Remaining, Is.Zero);
            Assert.That(refusal.RetryAfter, Is.EqualTo(GenerationLimitRules.Window), "nothing left the window yet");
        }
    }

    [Test]
    public async Task RefundAsync_GivesBackTheSlotAndThePerMinuteUnit()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 1, LongSlots));
        var user = Guid.NewGuid();
        var refused = Guid.NewGuid();
        await limiter.AcquireAsync(user, refused, None);
        await limiter.RefundAsync(user, refused, None);

        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
    }

    [Test]
    public async Task AcquireAsync_PerMinute_IsASlidingWindowAndRetryAfterIsWhenTheOldestStartLeavesIt()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(10, 2, LongSlots));
        var user = Guid.NewGuid();
        await limiter.AcquireAsync(user, Guid.NewGuid(), None);
        Clock.Advance(TimeSpan.FromSeconds(20));
        await limiter.AcquireAsync(user, Guid.NewGuid(), None);

        var first = await Assert.ThrowsAsync<RateLimitedException>(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
        Assert.That(first!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(40)));

        Clock.Advance(TimeSpan.FromSeconds(40));
        await limiter.AcquireAsync(user, Guid.NewGuid(), None);
        var second = await Assert.ThrowsAsync<RateLimitedException>(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
        Assert.That(second!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)), "the second start is now the oldest");
    }

    [Test]
    public async Task AcquireAsync_SlotNeverReleased_ExpiresAfterTheSlotLifetime()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 100, TimeSpan.FromMinutes(2)));
        var user = Guid.NewGuid();
        await limiter.AcquireAsync(user, Guid.NewGuid(), None);

        Clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<RateLimitedException>(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
    }

    [Test]
    public async Task AcquireAsync_SameGenerationTwice_HoldsOneSlotAndOneUnit()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(2, 2, LongSlots));
        var user = Guid.NewGuid();
        var generation = Guid.NewGuid();
        await limiter.AcquireAsync(user, generation, None);
        await limiter.AcquireAsync(user, generation, None);

        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
    }

    [Test]
    public async Task AcquireAsync_CancelledToken_ThrowsAndTakesNothing()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 1, LongSlots));
        var user = Guid.NewGuid();

        await Assert.CatchAsync<OperationCanceledException>(async () =>
            await limiter.AcquireAsync(user, Guid.NewGuid(), new CancellationToken(canceled: true)));
        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
    }

    [Test]
    public async Task ReleaseAsync_CancelledToken_StillFreesTheSlot()
    {
        var limiter = await CreateAsync(new GenerationLimitRules(1, 100, LongSlots));
        var user = Guid.NewGuid();
        var generation = Guid.NewGuid();
        await limiter.AcquireAsync(user, generation, None);

        await limiter.ReleaseAsync(user, generation, new CancellationToken(canceled: true));

        await Assert.DoesNotThrowAsync(async () => await limiter.AcquireAsync(user, Guid.NewGuid(), None));
    }
}
