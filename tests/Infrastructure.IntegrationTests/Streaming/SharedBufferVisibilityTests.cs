using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Redis;
using StudyGuru.Infrastructure.Streaming;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Streaming;

/// <summary>
/// With Redis, the owner's readers see an event only once it is in the shared buffer: after the owner
/// dies, every event a client holds can be served elsewhere and the sweep's terminal event never reuses
/// a sequence a client has seen.
/// </summary>
public sealed class SharedBufferVisibilityTests
{
    [Test]
    public async Task OwnersReader_RedisStalls_SeesTheEventOnlyOnceItIsInRedis()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = new RedisConnection(server.Configuration, NullLogger<RedisConnection>.Instance);
        await redis.ConnectAsync();
        var options = Options.Create(new StreamingOptions());
        var store = new RedisGenerationBufferStore(new InMemoryGenerationBufferStore(options, TimeProvider.System), redis, options,
            NullLogger<RedisGenerationBufferStore>.Instance);
        var generationId = Guid.CreateVersion7();
        var buffer = store.Create(generationId, Guid.NewGuid(), GenerationFormat.Conversation);
        var now = DateTimeOffset.UtcNow;
        await buffer.AppendAsync(new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), generationId, 100, 2, now), CancellationToken.None);
        await using var reader = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);

        server.Freeze();
        await buffer.AppendAsync(new TokenEvent("Hello", now), CancellationToken.None);
        var next = reader.MoveNextAsync().AsTask();
        var seenWhileFrozen = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(1500))) == next;
        server.Thaw();

        Assert.That(seenWhileFrozen, Is.False, "a reader saw an event that Redis did not hold");
        Assert.That(await next.WaitAsync(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(reader.Current.Sequence, Is.EqualTo(2));
        await using var check = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var shared = await check.GetDatabase().StreamRangeAsync(RedisGenerationKeys.Events(generationId), "2-0", "2-0");
        Assert.That(shared, Has.Length.EqualTo(1), "the event the reader got is in the shared buffer");
    }

    [Test]
    public async Task ManyEventsAtOnce_AllReachRedisInOrder_AndTheTerminalEndsTheRead()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = new RedisConnection(server.Configuration, NullLogger<RedisConnection>.Instance);
        await redis.ConnectAsync();
        var options = Options.Create(new StreamingOptions());
        var store = new RedisGenerationBufferStore(new InMemoryGenerationBufferStore(options, TimeProvider.System), redis, options,
            NullLogger<RedisGenerationBufferStore>.Instance);
        var generationId = Guid.CreateVersion7();
        var buffer = store.Create(generationId, Guid.NewGuid(), GenerationFormat.Conversation);
        var now = DateTimeOffset.UtcNow;
        await buffer.AppendAsync(new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), generationId, 1000, 11, now), CancellationToken.None);
        for (var i = 0; i < 500; i++) await buffer.AppendAsync(new TokenEvent($" w{i}", now), CancellationToken.None);
        await buffer.AppendAsync(new ErrorEvent("stopped", "cancelled", now), CancellationToken.None);

        var local = new List<long>();
        await foreach (var item in buffer.ReadAsync(0, CancellationToken.None)) local.Add(item.Sequence);
        var remote = await store.FindAsync(generationId, CancellationToken.None);
        await using var elsewhere = new RedisConnection(server.Configuration, NullLogger<RedisConnection>.Instance);
        await elsewhere.ConnectAsync();
        var remoteStore = new RedisGenerationBufferStore(new InMemoryGenerationBufferStore(options, TimeProvider.System), elsewhere, options,
            NullLogger<RedisGenerationBufferStore>.Instance);
        var shared = new List<long>();
        await foreach (var item in (await remoteStore.FindAsync(generationId, CancellationToken.None))!.ReadAsync(0, CancellationToken.None))
            shared.Add(item.Sequence);

        Assert.That(remote, Is.Not.Null);
        Assert.That(local, Is.EqualTo(Enumerable.Range(1, 502).Select(i => (long)i)));
        Assert.That(shared, Is.EqualTo(local));
    }
}
