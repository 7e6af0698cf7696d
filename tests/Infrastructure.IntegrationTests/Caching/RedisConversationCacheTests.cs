using StackExchange.Redis;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

/// <summary>Two cache instances, each with its own connection (as two app instances), on one real Redis server.</summary>
public sealed class RedisConversationCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private RedisServer _server = null!;
    private ConnectionMultiplexer _admin = null!;
    private RedisCacheInstance _first = null!;
    private RedisCacheInstance _second = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await RedisServer.StartAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync(_server.Configuration + ",allowAdmin=true");
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _admin.DisposeAsync();
        await _server.DisposeAsync();
    }

    [SetUp]
    public async Task StartInstances()
    {
        await _admin.GetServers()[0].FlushAllDatabasesAsync();
        _first = await RedisCacheInstance.StartAsync(_server.Configuration);
        _second = await RedisCacheInstance.StartAsync(_server.Configuration);
    }

    [TearDown]
    public async Task StopInstances()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Test]
    public async Task GetOwnerAsync_SetByOtherInstance_ReturnsOwner()
    {
        var interactionId = Guid.NewGuid();
        var userId = Guid.NewGuid();

        await _first.Cache.SetOwnerAsync(interactionId, userId, None);

        Assert.That(await _second.Cache.GetOwnerAsync(interactionId, None), Is.EqualTo(userId));
    }

    [Test]
    public async Task GetOwnerAsync_NeverSet_ReturnsNull()
    {
        Assert.That(await _second.Cache.GetOwnerAsync(Guid.NewGuid(), None), Is.Null);
    }

    [Test]
    public async Task GetHistoryAsync_SetByOtherInstance_ReturnsSameTurns()
    {
        var interactionId = Guid.NewGuid();

        await _first.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);

        Assert.That(await _second.Cache.GetHistoryAsync(interactionId, None), Is.EqualTo(ConversationSamples.History()));
    }

    [Test]
    public async Task GetResponseAsync_SetByOtherInstance_ReturnsSharedResponse()
    {
        var response = ConversationSamples.Response();

        await _first.Cache.SetResponseAsync("model|v1|1000|What is 12*(3+4)?", response, None);
        var cached = await _second.Cache.GetResponseAsync("model|v1|1000|What is 12*(3+4)?", None);

        Assert.That(cached, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cached!.Tokens, Is.EqualTo(response.Tokens));
            Assert.That(cached.InputTokens, Is.EqualTo(response.InputTokens));
            Assert.That(cached.OutputTokens, Is.EqualTo(response.OutputTokens));
        }
    }

    [Test]
    public async Task GetResponseAsync_PiecesAsAnswerText_SetByOtherInstance_ReturnsTheSamePieces()
    {
        var response = new CachedResponse(new AnswerPieces("The answer is 84.", [3, 10, 13, 17]), InputTokens: 120, OutputTokens: 4);

        await _first.Cache.SetResponseAsync("model|v1|1000|What is 12*7?", response, None);
        var cached = await _second.Cache.GetResponseAsync("model|v1|1000|What is 12*7?", None);

        Assert.That(cached?.Tokens, Is.EqualTo(new[] { "The", " answer", " is", " 84." }));
    }

    [Test]
    public async Task GetResponseAsync_DifferentPromptKey_ReturnsNull()
    {
        await _first.Cache.SetResponseAsync("prompt one", ConversationSamples.Response(), None);

        Assert.That(await _second.Cache.GetResponseAsync("prompt two", None), Is.Null);
    }

    [Test]
    public async Task InvalidateInteractionAsync_OnOneInstance_OtherInstanceForgetsRedisEntriesAndLocalCopy()
    {
        var interactionId = Guid.NewGuid();
        await _second.Cache.SetOwnerAsync(interactionId, Guid.NewGuid(), None);
        await _second.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        Assert.That(_second.Cache.Local.GetHistory(interactionId), Is.Not.Null, "precondition: a local copy exists");

        await _first.Cache.InvalidateInteractionAsync(interactionId, None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _second.Cache.GetOwnerAsync(interactionId, None), Is.Null);
            Assert.That(await _second.Cache.GetHistoryAsync(interactionId, None), Is.Null);
            Assert.That(
                await Eventually.HoldsAsync(() => Task.FromResult(
                    _second.Cache.Local.GetHistory(interactionId) is null && _second.Cache.Local.GetOwner(interactionId) is null)),
                Is.True,
                "the invalidation message reaches the other instance's local copy");
        }
    }

    [Test]
    public async Task InvalidateInteractionAsync_OneInteraction_KeepsOthers()
    {
        var invalidated = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await _first.Cache.SetHistoryAsync(invalidated, ConversationSamples.History(), None);
        await _first.Cache.SetHistoryAsync(kept, ConversationSamples.History(), None);

        await _first.Cache.InvalidateInteractionAsync(invalidated, None);

        Assert.That(await _second.Cache.GetHistoryAsync(kept, None), Is.Not.Null);
    }

    [Test]
    public async Task SetMethods_AnyEntry_StoreNamespacedExpiringKeysWithoutPromptText()
    {
        const string promptKey = "a very long prompt that must not become a key name";
        await _first.Cache.SetOwnerAsync(Guid.NewGuid(), Guid.NewGuid(), None);
        await _first.Cache.SetHistoryAsync(Guid.NewGuid(), ConversationSamples.History(), None);
        await _first.Cache.SetResponseAsync(promptKey, ConversationSamples.Response(), None);

        var keys = _admin.GetServers()[0].Keys(pattern: "*").Select(key => key.ToString()).ToList();

        Assert.That(keys, Has.Count.EqualTo(3));
        Assert.That(keys, Has.All.StartsWith("studyguru:"));
        Assert.That(keys, Has.None.Contains("prompt"));
        Assert.That(keys, Has.All.Length.LessThan(120));
        foreach (var key in keys)
        {
            Assert.That(await _admin.GetDatabase().KeyTimeToLiveAsync(key), Is.Not.Null, key);
        }
    }

    [Test]
    public async Task GetHistoryAsync_UnreadableEntry_ReturnsNull()
    {
        var interactionId = Guid.NewGuid();
        await _first.Cache.SetHistoryAsync(interactionId, ConversationSamples.History(), None);
        var key = _admin.GetServers()[0].Keys(pattern: "studyguru:*history*").Single();
        await _admin.GetDatabase().StringSetAsync(key, "{not json");

        Assert.That(await _second.Cache.GetHistoryAsync(interactionId, None), Is.Null);
    }

    [Test]
    public async Task GetResponseAsync_CachedLocallyAfterRedisHit_IsServedWithoutRedis()
    {
        await _first.Cache.SetResponseAsync("prompt", ConversationSamples.Response(), None);
        Assert.That(await _second.Cache.GetResponseAsync("prompt", None), Is.Not.Null, "precondition: read from Redis");

        await _admin.GetServers()[0].FlushAllDatabasesAsync();

        Assert.That(await _second.Cache.GetResponseAsync("prompt", None), Is.Not.Null);
    }
}
