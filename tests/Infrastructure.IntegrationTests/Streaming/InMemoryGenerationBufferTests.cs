using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Streaming;

public sealed class InMemoryGenerationBufferTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    /// <summary>A metadata event and tokens whose texts and times test the compact copy's edges (empty text,
    /// non-ASCII, an offset other than UTC, sub-millisecond ticks).</summary>
    private static List<ConversationEvent> MetadataAndTokens(Guid generationId) =>
    [
        new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), generationId, 10, 5, Now),
        new TokenEvent("Hello", Now.AddMilliseconds(1)),
        new TokenEvent("", Now.AddMilliseconds(2)),
        new TokenEvent(" wörld", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))),
        new TokenEvent(" again", Now.AddTicks(3)),
    ];

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
        var appended = MetadataAndTokens(buffer.GenerationId);
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

    [Test]
    public async Task RunningGeneration_KeepsOnlyTheEventsItsReaderHasNotTaken()
    {
        // docs/performance.md, "Memory per open stream (sixth round)": a running answer's events die once written.
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        for (var i = 0; i < 3; i++) await buffer.AppendAsync(new TokenEvent($"t{i}", Now), default);
        Assert.That(buffer.KeptEventCount, Is.EqualTo(3), "no reader yet: everything is kept for the one about to attach");

        var reader = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < 3; i++) Assert.That(await reader.MoveNextAsync(), Is.True);
        Assert.That(buffer.KeptEventCount, Is.Zero);

        await buffer.AppendAsync(new TokenEvent("t3", Now), default);
        await buffer.AppendAsync(new TokenEvent("t4", Now), default);
        Assert.That(buffer.KeptEventCount, Is.EqualTo(2));
        Assert.That(await reader.MoveNextAsync(), Is.True);
        Assert.That(reader.Current.Sequence, Is.EqualTo(4));
        Assert.That(buffer.KeptEventCount, Is.Zero, "the batch took both available events");
        Assert.That(await reader.MoveNextAsync(), Is.True);
        Assert.That(reader.Current.Sequence, Is.EqualTo(5));
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("t0t1t2t3t4"));
        Assert.That(await buffer.GetLastSequenceAsync(default), Is.EqualTo(5));
        await reader.DisposeAsync();
    }

    [Test]
    public async Task RunningGeneration_ReaderBehindReleasedEvents_GetsEqualEventsThenLiveOnes()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        var appended = MetadataAndTokens(buffer.GenerationId);
        foreach (var @event in appended) await buffer.AppendAsync(@event, default);
        var first = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        var firstSeen = new List<GenerationEvent>();
        for (var i = 0; i < appended.Count; i++)
        {
            Assert.That(await first.MoveNextAsync(), Is.True);
            firstSeen.Add(first.Current);
        }
        Assert.That(buffer.KeptEventCount, Is.Zero);

        for (var after = 0; after < appended.Count; after++)
        {
            var late = buffer.ReadAsync(after, CancellationToken.None).GetAsyncEnumerator();
            var lateSeen = new List<GenerationEvent>();
            for (var i = after; i < appended.Count; i++)
            {
                Assert.That(await late.MoveNextAsync(), Is.True);
                lateSeen.Add(late.Current);
            }
            Assert.That(lateSeen, Is.EqualTo(firstSeen.Skip(after)), $"after {after}");
            Assert.That(lateSeen.Select(e => e.Event.Timestamp.Offset), Is.EqualTo(firstSeen.Skip(after).Select(e => e.Event.Timestamp.Offset)));

            // Both follow the live events from here.
            var next = late.MoveNextAsync();
            Assert.That(next.IsCompleted, Is.False);
            await late.DisposeAsync();
        }

        var terminal = new CompleteEvent("Hello wörld again", 4, 1, 1, 4, 5, FinishReasons.Stop, false, Now);
        await buffer.AppendAsync(terminal, default);
        Assert.That(await first.MoveNextAsync(), Is.True);
        Assert.That(first.Current.Event, Is.EqualTo(terminal));
        Assert.That(await first.MoveNextAsync(), Is.False);
        await first.DisposeAsync();
        Assert.That(await buffer.GetContentAsync(default), Is.EqualTo("Hello wörld again"));
    }

    [Test]
    public async Task SlowerReader_HoldsTheEventsItHasNotTaken_UntilItLeaves()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple);
        for (var i = 0; i < 4; i++) await buffer.AppendAsync(new TokenEvent($"t{i}", Now), default);
        var fast = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        var slow = buffer.ReadAsync(2, CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await slow.MoveNextAsync(), Is.True);
        Assert.That(slow.Current.Sequence, Is.EqualTo(3));
        for (var i = 0; i < 4; i++) Assert.That(await fast.MoveNextAsync(), Is.True);
        Assert.That(buffer.KeptEventCount, Is.Zero, "the slow reader's batch took events 3 and 4");

        await buffer.AppendAsync(new TokenEvent("t4", Now), default);
        Assert.That(await fast.MoveNextAsync(), Is.True);
        Assert.That(buffer.KeptEventCount, Is.EqualTo(1), "the slow reader has not taken event 5");
        await slow.DisposeAsync();
        Assert.That(buffer.KeptEventCount, Is.Zero);
        await fast.DisposeAsync();
    }

    [Test]
    public async Task EventsNotYetPublished_AreKept()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple, publishExplicitly: true);
        for (var i = 0; i < 3; i++) await buffer.AppendAsync(new TokenEvent($"t{i}", Now), default);
        buffer.Publish(2);
        var reader = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await reader.MoveNextAsync(), Is.True);
        Assert.That(await reader.MoveNextAsync(), Is.True);
        Assert.That(buffer.KeptEventCount, Is.EqualTo(1));
        var next = reader.MoveNextAsync();
        Assert.That(next.IsCompleted, Is.False);
        buffer.Publish(3);
        Assert.That(await next, Is.True);
        Assert.That(reader.Current.Event, Is.EqualTo(new TokenEvent("t2", Now)));
        await reader.DisposeAsync();
    }

    [Test]
    public async Task WaitingReader_Cancelled_StopsWaiting_AndLaterAppendsStillWork()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        using var leaving = new CancellationTokenSource();
        var reader = buffer.ReadAsync(0, leaving.Token).GetAsyncEnumerator();
        var waiting = reader.MoveNextAsync();
        Assert.That(waiting.IsCompleted, Is.False, "nothing appended yet");

        await leaving.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        await reader.DisposeAsync();
        Assert.That(await buffer.AppendAsync(new TokenEvent("a", Now), default), Is.EqualTo(1));
        await using var next = buffer.ReadAsync(0, CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await next.MoveNextAsync(), Is.True);
        Assert.That(next.Current.Sequence, Is.EqualTo(1));
    }

    [Test]
    public async Task ReaderAheadOfTheLog_KeepsWaitingUntilItsPositionIsReached()
    {
        var buffer = new InMemoryGenerationBuffer(Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation);
        await using var reader = buffer.ReadAsync(2, CancellationToken.None).GetAsyncEnumerator();
        var waiting = reader.MoveNextAsync().AsTask();

        await buffer.AppendAsync(new TokenEvent("a", Now), default);
        await buffer.AppendAsync(new TokenEvent("b", Now), default);
        await Task.Delay(50);
        Assert.That(waiting.IsCompleted, Is.False, "events 1 and 2 are not after the reader's position");

        await buffer.AppendAsync(new TokenEvent("c", Now), default);
        Assert.That(await waiting.WaitAsync(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(reader.Current.Sequence, Is.EqualTo(3));
    }
}
