using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Streaming;

public sealed class InMemoryGenerationBufferTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Test]
    public async Task Append_NumbersFromOne_AndRefusesAfterTerminal()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        Assert.That(await buffer.AppendAsync(new TokenEvent("a", Now), default), Is.EqualTo(1));
        Assert.That(await buffer.AppendAsync(new ErrorEvent("x", ErrorCodes.Internal, Now), default), Is.EqualTo(2));
        Assert.That(await buffer.AppendAsync(new ErrorEvent("again", ErrorCodes.Internal, Now), default), Is.Null);
        Assert.That(await buffer.GetTerminalSequenceAsync(default), Is.EqualTo(2));
    }

    [Test]
    public async Task Read_AfterSequence_GetsTheRestThenLiveEventsUntilTerminal()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple);
        await buffer.AppendAsync(new TokenEvent("a", Now), default);
        await buffer.AppendAsync(new TokenEvent("b", Now), default);

        var reading = Task.Run(async () =>
        {
            var seen = new List<long>();
            await foreach (var item in buffer.ReadAsync(1, CancellationToken.None)) seen.Add(item.Sequence);
            return seen;
        });
        await Task.Delay(50);
        await buffer.AppendAsync(new TokenEvent("c", Now), default);
        await buffer.AppendAsync(new CompleteEvent("abc", 3, 1, 1, 2, 5, FinishReasons.Stop, false, Now), default);

        Assert.That(await reading.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("abc"));
    }

    [Test]
    public async Task EndedGeneration_ReplaysEqualEvents_FromAnyPosition()
    {
        // Ended generations are kept in a compact form; a replay must not tell the difference.
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        var appended = new List<ConversationEvent>
        {
            new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), buffer.GenerationId, 10, 5, Now),
            new TokenEvent("Hello", Now.AddMilliseconds(1)),
            new TokenEvent("", Now.AddMilliseconds(2)),
            new TokenEvent(" wörld", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))),
            new TokenEvent(" again", Now.AddTicks(3)),
        };
        var live = new List<GenerationEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in buffer.ReadAsync(0, CancellationToken.None)) live.Add(item);
        });
        foreach (var @event in appended) await buffer.AppendAsync(@event, default);
        var terminal = new CompleteEvent("Hello wörld again", 4, 1, 1, 4, 5, FinishReasons.Stop, false, Now);
        appended.Add(terminal);
        await buffer.AppendAsync(terminal, default);
        await reading.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(live.Select(e => e.Event), Is.EqualTo(appended));
        for (var after = 0; after < appended.Count; after++)
        {
            var replayed = new List<GenerationEvent>();
            await foreach (var item in buffer.ReadAsync(after, CancellationToken.None)) replayed.Add(item);
            Assert.That(replayed, Is.EqualTo(live.Skip(after)), $"after {after}");
            Assert.That(replayed.Select(e => e.Event.Timestamp.Offset), Is.EqualTo(live.Skip(after).Select(e => e.Event.Timestamp.Offset)));
        }
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("Hello wörld again"));
        Assert.That(await buffer.GetLastSequenceAsync(default), Is.EqualTo(6));
        Assert.That(await buffer.AppendAsync(new TokenEvent("late", Now), default), Is.Null);
    }

    [Test]
    public async Task EndedGeneration_PublishedExplicitly_StaysReadableUntilPublished_ThenReplaysEverything()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple, publishExplicitly: true);
        await buffer.AppendAsync(new TokenEvent("a", Now), default);
        await buffer.AppendAsync(new TokenEvent("b", Now), default);
        await buffer.AppendAsync(new ErrorEvent("x", ErrorCodes.Internal, Now), default);
        buffer.Publish(1);
        var reading = Task.Run(async () =>
        {
            var seen = new List<string>();
            await foreach (var item in buffer.ReadAsync(0, CancellationToken.None))
                seen.Add(item.Event is TokenEvent token ? token.Content : "end");
            return seen;
        });
        await Task.Delay(50);
        buffer.Publish(3);

        Assert.That(await reading.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new[] { "a", "b", "end" }));
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("ab"));
    }
}
