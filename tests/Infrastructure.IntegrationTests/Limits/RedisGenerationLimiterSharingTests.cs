using System.Diagnostics;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Infrastructure.IntegrationTests.Caching;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>Two instances on one Redis server, and what happens while it is away (each test has its own server).</summary>
public sealed class RedisGenerationLimiterSharingTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly AuthAttemptRules AnyAttemptRules = new(10, AuthAttemptRules.DefaultWindow);

    // Generous: a dead Redis must cost at most about one operation timeout per call, never hang.
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(5);

    private readonly ManualClock _clock = new();
    private RedisServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await RedisServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task AcquireAsync_TwoInstances_ShareTheConcurrencySlots()
    {
        var rules = new GenerationLimitRules(3, 100, TimeSpan.FromMinutes(10));
        await using var a = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        await using var b = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        var user = Guid.NewGuid();
        var onA = Guid.NewGuid();
        await a.Generations.AcquireAsync(user, onA, None);
        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await b.Generations.AcquireAsync(user, Guid.NewGuid(), None);

        await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Generations.AcquireAsync(user, Guid.NewGuid(), None));
        await Assert.ThrowsAsync<RateLimitedException>(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None));

        await a.Generations.ReleaseAsync(user, onA, None);
        await Assert.DoesNotThrowAsync(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None), "released on A, free on B");
    }

    [Test]
    public async Task AcquireAsync_TwoInstances_ShareThePerMinuteBudget()
    {
        var rules = new GenerationLimitRules(100, 4, TimeSpan.FromMinutes(10));
        await using var a = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        await using var b = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        var user = Guid.NewGuid();
        var refundedOnB = Guid.NewGuid();
        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await b.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await b.Generations.AcquireAsync(user, refundedOnB, None);
        await b.Generations.RefundAsync(user, refundedOnB, None);
        await b.Generations.AcquireAsync(user, Guid.NewGuid(), None);

        var onA = await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Generations.AcquireAsync(user, Guid.NewGuid(), None));
        var onB = await Assert.ThrowsAsync<RateLimitedException>(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(onA!.Limit, Is.EqualTo(4));
            Assert.That(onB!.Limit, Is.EqualTo(4));
        }
    }

    [Test]
    public async Task EveryCall_ServerStopped_CountsInMemoryAndThrowsOnlyRateLimited()
    {
        var rules = new GenerationLimitRules(2, 100, TimeSpan.FromMinutes(10));
        await using var a = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        var user = Guid.NewGuid();
        var first = Guid.NewGuid();
        _server.Stop();

        var elapsed = Stopwatch.StartNew();
        await a.Generations.AcquireAsync(user, first, None);
        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Generations.AcquireAsync(user, Guid.NewGuid(), None),
            "the memory fallback still enforces the cap");
        await a.Generations.ReleaseAsync(user, first, None);
        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);
        await a.Generations.RefundAsync(user, Guid.NewGuid(), None);

        Assert.That(elapsed.Elapsed, Is.LessThan(CallBound * 6));
    }

    [Test]
    public async Task ReleaseAsync_RedisUnusableOnThisInstance_IsSentWhenItIsUsableAgain()
    {
        var rules = new GenerationLimitRules(1, 100, TimeSpan.FromMinutes(10));
        await using var a = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        await using var b = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        var user = Guid.NewGuid();
        var generation = Guid.NewGuid();
        await a.Generations.AcquireAsync(user, generation, None);

        // A timeout makes A skip Redis for a few seconds, as after a partition; B still reaches it.
        a.Connection.ReportFailure(new TimeoutException("simulated"));
        Assert.That(a.Connection.TryGetDatabase(), Is.Null);
        await a.Generations.ReleaseAsync(user, generation, None);
        Assert.That(a.Generations.PendingReturns, Is.EqualTo(1));
        await Assert.ThrowsAsync<RateLimitedException>(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None),
            "the slot is still held in Redis");

        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(a.Connection.TryGetDatabase() is not null)), Is.True);
        await a.Generations.AcquireAsync(Guid.NewGuid(), Guid.NewGuid(), None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Generations.PendingReturns, Is.Zero);
            await Assert.DoesNotThrowAsync(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None));
        }
    }

    [Test]
    public async Task AcquireAsync_ServerRestarted_UsesRedisAgain()
    {
        var rules = new GenerationLimitRules(1, 100, TimeSpan.FromMinutes(10));
        await using var a = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        await using var b = await LimiterInstance.StartAsync(_server.Configuration, rules, AnyAttemptRules, _clock);
        await _server.RestartAsync();
        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(
            a.Connection.TryGetDatabase() is not null && b.Connection.TryGetDatabase() is not null)), Is.True);
        var user = Guid.NewGuid();

        await a.Generations.AcquireAsync(user, Guid.NewGuid(), None);

        await Assert.ThrowsAsync<RateLimitedException>(async () => await b.Generations.AcquireAsync(user, Guid.NewGuid(), None));
    }
}
