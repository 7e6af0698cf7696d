using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Redis;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

/// <summary>The caches while the Redis server is killed and started again (each test has its own server).</summary>
public sealed class RedisOutageTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Generous: a dead Redis must cost at most about one operation timeout per call, never hang.
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(5);

    private RedisServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await RedisServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task EveryCall_ServerStopped_CompletesWithoutThrowing()
    {
        await using var instance = await RedisCacheInstance.StartAsync(_server.Configuration);
        var interactionId = Guid.NewGuid();
        _server.Stop();

        var cache = instance.Cache;
        var calls = new (string Name, Func<Task> Call)[]
        {
            ("GetOwner", async () => await cache.GetOwnerAsync(Guid.NewGuid(), None)),
            ("SetOwner", async () => await cache.SetOwnerAsync(interactionId, Guid.NewGuid(), None)),
            ("GetHistory", async () => await cache.GetHistoryAsync(Guid.NewGuid(), None)),
            ("SetHistory", async () => await cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None)),
            ("Invalidate", async () => await cache.InvalidateInteractionAsync(interactionId, None)),
            ("GetResponse", async () => await cache.GetResponseAsync("missing prompt", None)),
            ("SetResponse", async () => await cache.SetResponseAsync("prompt", ConversationSamples.Response(), None)),
        };

        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, call) in calls)
            {
                var elapsed = Stopwatch.StartNew();
                await Assert.DoesNotThrowAsync(() => call(), name);
                Assert.That(elapsed.Elapsed, Is.LessThan(CallBound), name);
            }
        }
    }

    [Test]
    public async Task GetMethods_ServerStopped_ServeThisInstancesWritesFromMemoryOnly()
    {
        await using var first = await RedisCacheInstance.StartAsync(_server.Configuration);
        await using var second = await RedisCacheInstance.StartAsync(_server.Configuration);
        var interactionId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        _server.Stop();

        await first.Cache.SetOwnerAsync(interactionId, userId, None);
        await first.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        await first.Cache.SetResponseAsync("prompt", ConversationSamples.Response(), None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await first.Cache.GetOwnerAsync(interactionId, None), Is.EqualTo(userId));
            Assert.That(await first.Cache.GetHistoryAsync(interactionId, None), Is.EqualTo(ConversationSamples.History()));
            Assert.That(await first.Cache.GetResponseAsync("prompt", None), Is.Not.Null);
            Assert.That(await second.Cache.GetOwnerAsync(interactionId, None), Is.Null);
            Assert.That(await second.Cache.GetHistoryAsync(interactionId, None), Is.Null);
            Assert.That(await second.Cache.GetResponseAsync("prompt", None), Is.Null);
        }
    }

    [Test]
    public async Task GetHistoryAsync_InvalidatedBeforeOutage_FallbackHasNoStaleCopy()
    {
        await using var first = await RedisCacheInstance.StartAsync(_server.Configuration);
        await using var second = await RedisCacheInstance.StartAsync(_server.Configuration);
        var invalidated = Guid.NewGuid();
        var untouched = Guid.NewGuid();
        await second.Cache.SetHistoryAsync(invalidated, ConversationSamples.History(), None);
        await second.Cache.SetHistoryAsync(untouched, ConversationSamples.History(), None);
        await first.Cache.InvalidateInteractionAsync(invalidated, None);
        Assert.That(
            await Eventually.HoldsAsync(() => Task.FromResult(second.Cache.Local.GetHistory(invalidated) is null)),
            Is.True,
            "the invalidation message arrives");

        _server.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await second.Cache.GetHistoryAsync(invalidated, None), Is.Null);
            Assert.That(await second.Cache.GetHistoryAsync(untouched, None), Is.Not.Null, "the fallback serves what was not invalidated");
        }
    }

    [Test]
    public async Task Caches_ServerRestarted_ShareEntriesAndInvalidationsAgain()
    {
        await using var first = await RedisCacheInstance.StartAsync(_server.Configuration);
        await using var second = await RedisCacheInstance.StartAsync(_server.Configuration);
        _server.Stop();
        await first.Cache.GetOwnerAsync(Guid.NewGuid(), None);

        await _server.RestartAsync();

        var interactionId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        var shared = await Eventually.HoldsAsync(async () =>
        {
            await first.Cache.SetOwnerAsync(interactionId, userId, None);
            return await second.Cache.GetOwnerAsync(interactionId, None) == userId;
        });
        Assert.That(shared, Is.True, "an entry written by one instance is read by the other after the restart");

        await AssertInvalidationReachesAsync(first, second);
    }

    [Test]
    public async Task Cache_CreatedWhileServerDown_StartsAndUsesRedisOnceItIsUp()
    {
        _server.Stop();
        await using var late = await RedisCacheInstance.StartAsync(_server.Configuration);
        Assert.That(late.Connection.IsConnected, Is.False, "precondition: Redis is down");
        Assert.That(await late.Cache.GetOwnerAsync(Guid.NewGuid(), None), Is.Null);

        await _server.RestartAsync();
        await using var other = await RedisCacheInstance.StartAsync(_server.Configuration);

        var interactionId = Guid.NewGuid();
        var history = ConversationSamples.History();
        var shared = await Eventually.HoldsAsync(async () =>
        {
            await other.Cache.SetHistoryAsync(interactionId, history, None);
            return await late.Cache.GetHistoryAsync(interactionId, None) is not null;
        });
        Assert.That(shared, Is.True, "the cache started without Redis uses it once it is up");

        await AssertInvalidationReachesAsync(other, late);
    }

    [Test]
    public async Task LocalCopies_AfterReconnection_AreDroppedAsInvalidationsMayHaveBeenMissed()
    {
        await using var instance = await RedisCacheInstance.StartAsync(_server.Configuration);
        var interactionId = Guid.NewGuid();
        await instance.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        await instance.Cache.SetResponseAsync("prompt", ConversationSamples.Response(), None);
        _server.Stop();
        Assert.That(
            await Eventually.HoldsAsync(() => Task.FromResult(!instance.Connection.IsConnected)),
            Is.True,
            "precondition: the outage is noticed");

        await _server.RestartAsync();

        Assert.That(
            await Eventually.HoldsAsync(() => Task.FromResult(instance.Cache.Local.GetHistory(interactionId) is null)),
            Is.True);
        Assert.That(instance.Cache.Local.GetResponseByHash(PromptKeyHash.Compute("prompt")), Is.Not.Null, "responses never go stale");
    }

    [Test]
    public async Task ManyCalls_ServerFrozen_CostAtMostAboutOneTimeoutThenFallBackToMemory()
    {
        await using var instance = await RedisCacheInstance.StartAsync(_server.Configuration);
        var interactionId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        _server.Freeze();

        // Sockets stay open and nothing answers: the first command times out, the rest skip Redis.
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            await instance.Cache.SetOwnerAsync(interactionId, userId, None);
            await instance.Cache.GetOwnerAsync(interactionId, None);
        }

        var frozenFor = elapsed.Elapsed;
        var owner = await instance.Cache.GetOwnerAsync(interactionId, None);
        _server.Thaw();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(frozenFor, Is.LessThan(CallBound), "100 calls against a partitioned Redis");
            Assert.That(owner, Is.EqualTo(userId), "served from this instance's memory");
        }

        await using var other = await RedisCacheInstance.StartAsync(_server.Configuration);
        var shared = await Eventually.HoldsAsync(async () =>
        {
            await other.Cache.SetOwnerAsync(interactionId, userId, None);
            return await instance.Cache.GetOwnerAsync(interactionId, None) == userId
                   && instance.Connection.TryGetDatabase() is not null;
        });
        Assert.That(shared, Is.True, "Redis is used again once it answers");
    }

    [Test]
    public async Task ManyCalls_ServerStopped_LogTheOutageNotEachCallNorAnyContent()
    {
        var connectionLogger = new CapturingLogger<RedisConnection>();
        var cacheLogger = new CapturingLogger<RedisConversationCache>();
        await using var instance = await RedisCacheInstance.StartAsync(_server.Configuration, connectionLogger, cacheLogger);
        _server.Stop();

        for (var i = 0; i < 100; i++)
        {
            var interactionId = Guid.NewGuid();
            await instance.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
            await instance.Cache.GetHistoryAsync(interactionId, None);
            await instance.Cache.InvalidateInteractionAsync(interactionId, None);
        }

        // The outage is logged when the client notices the closed connection, which may come after the calls fell back.
        await Eventually.HoldsAsync(() => Task.FromResult(
            connectionLogger.Entries.Concat(cacheLogger.Entries).Any(line => line.Level >= LogLevel.Warning)), TimeSpan.FromSeconds(10));
        var lines = connectionLogger.Entries.Concat(cacheLogger.Entries).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines.Count(line => line.Level >= LogLevel.Warning), Is.InRange(1, 3));
            Assert.That(lines.Select(line => line.Message), Has.None.Contains("derivative"));
        }
    }

    /// <summary>
    /// Retries the whole exchange: right after a reconnect the subscription may lag the data
    /// connection by a moment, and a message published before it is back is legitimately lost.
    /// </summary>
    private static async Task AssertInvalidationReachesAsync(RedisCacheInstance publisher, RedisCacheInstance listener)
    {
        var reached = await Eventually.HoldsAsync(async () =>
        {
            var interactionId = Guid.NewGuid();
            await listener.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
            await publisher.Cache.InvalidateInteractionAsync(interactionId, None);
            return await Eventually.HoldsAsync(
                () => Task.FromResult(listener.Cache.Local.GetHistory(interactionId) is null),
                TimeSpan.FromSeconds(1));
        });

        Assert.That(reached, Is.True, "an invalidation published by one instance reaches the other's local copy");
    }
}
