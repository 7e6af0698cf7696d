using System.Diagnostics;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Infrastructure.IntegrationTests.Caching;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>The per-client attempt windows, in memory and in a real Redis server (each test has its own server).</summary>
public sealed class AuthAttemptLimiterTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly GenerationLimitRules AnyGenerationRules = new(3, 30, TimeSpan.FromMinutes(7));

    private readonly ManualClock _clock = new();

    [Test]
    public void Memory_OverTheBudget_RefusedUntilTheWindowThatStartedAtTheFirstAttemptEnds()
    {
        var limiter = new MemoryAuthAttemptLimiter(new AuthAttemptRules(3, TimeSpan.FromMinutes(5)), _clock);
        limiter.CountAttempt("203.0.113.7");
        _clock.Advance(TimeSpan.FromMinutes(1));
        limiter.CountAttempt("203.0.113.7");
        limiter.CountAttempt("203.0.113.7");

        var refusal = Assert.Throws<RateLimitedException>(() => limiter.CountAttempt("203.0.113.7"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal!.Limit, Is.EqualTo(3));
            Assert.That(refusal.Remaining, Is.Zero);
            Assert.That(refusal.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(4)));
            Assert.DoesNotThrow(() => limiter.CountAttempt("203.0.113.8"), "another client has its own budget");
        }

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.DoesNotThrow(() => limiter.CountAttempt("203.0.113.7"));
    }

    [Test]
    public async Task Redis_OverTheBudget_RefusedWithTheSecondsLeftInTheWindow()
    {
        await using var server = await RedisServer.StartAsync();
        await using var a = await LimiterInstance.StartAsync(server.Configuration, AnyGenerationRules,
            new AuthAttemptRules(3, TimeSpan.FromMinutes(5)), _clock);
        for (var i = 0; i < 3; i++) await a.Attempts.CountAttemptAsync("203.0.113.7", None);

        var refusal = await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Attempts.CountAttemptAsync("203.0.113.7", None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal!.Limit, Is.EqualTo(3));
            Assert.That(refusal.Remaining, Is.Zero);
            Assert.That(refusal.RetryAfter, Is.InRange(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)));
        }
        await Assert.DoesNotThrowAsync(async () => await a.Attempts.CountAttemptAsync("203.0.113.8", None), "another client has its own budget");
    }

    [Test]
    public async Task Redis_WindowEnded_AttemptsAreCountedAgain()
    {
        await using var server = await RedisServer.StartAsync();
        await using var a = await LimiterInstance.StartAsync(server.Configuration, AnyGenerationRules,
            new AuthAttemptRules(2, TimeSpan.FromMilliseconds(500)), _clock);
        await a.Attempts.CountAttemptAsync("198.51.100.1", None);
        await a.Attempts.CountAttemptAsync("198.51.100.1", None);
        await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Attempts.CountAttemptAsync("198.51.100.1", None));

        Assert.That(await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await a.Attempts.CountAttemptAsync("198.51.100.1", None);
                return true;
            }
            catch (RateLimitedException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public async Task Redis_TwoInstances_ShareOneBudgetPerClient()
    {
        await using var server = await RedisServer.StartAsync();
        var rules = new AuthAttemptRules(10, TimeSpan.FromMinutes(5));
        await using var a = await LimiterInstance.StartAsync(server.Configuration, AnyGenerationRules, rules, _clock);
        await using var b = await LimiterInstance.StartAsync(server.Configuration, AnyGenerationRules, rules, _clock);
        for (var i = 0; i < 5; i++)
        {
            await a.Attempts.CountAttemptAsync("192.0.2.10", None);
            await b.Attempts.CountAttemptAsync("192.0.2.10", None);
        }

        await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Attempts.CountAttemptAsync("192.0.2.10", None));
        await Assert.ThrowsAsync<RateLimitedException>(async () => await b.Attempts.CountAttemptAsync("192.0.2.10", None));
    }

    [Test]
    public async Task Redis_ServerStopped_CountsInMemoryAndThrowsOnlyRateLimited()
    {
        await using var server = await RedisServer.StartAsync();
        await using var a = await LimiterInstance.StartAsync(server.Configuration, AnyGenerationRules,
            new AuthAttemptRules(2, TimeSpan.FromMinutes(5)), _clock);
        server.Stop();

        var elapsed = Stopwatch.StartNew();
        await a.Attempts.CountAttemptAsync("192.0.2.20", None);
        await a.Attempts.CountAttemptAsync("192.0.2.20", None);
        await Assert.ThrowsAsync<RateLimitedException>(async () => await a.Attempts.CountAttemptAsync("192.0.2.20", None));
        Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
    }
}
