using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Streaming;

/// <summary>The sweep at its seams (the repository, the buffer store, the limiter) over a real in-memory buffer.</summary>
public sealed class LeaseSweeperTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 22, 0, 0, DateTimeKind.Utc);
    private Mock<IGenerationRepository> _generations = null!;
    private Mock<IGenerationBufferStore> _buffers = null!;
    private Mock<IGenerationLimiter> _limiter = null!;
    private Mock<IConversationCache> _cache = null!;

    [SetUp]
    public void NewSeams()
    {
        _generations = new Mock<IGenerationRepository>();
        _buffers = new Mock<IGenerationBufferStore>();
        _limiter = new Mock<IGenerationLimiter>();
        _cache = new Mock<IConversationCache>();
    }

    private LeaseSweeper Sweeper()
    {
        var meters = new Mock<IMeterFactory>();
        meters.Setup(f => f.Create(It.IsAny<MeterOptions>())).Returns((MeterOptions o) => new Meter(o));
        return new LeaseSweeper(_generations.Object, _buffers.Object, _cache.Object, _limiter.Object,
            new StreamMetrics(meters.Object), new FixedTime(Now), NullLogger<LeaseSweeper>.Instance);
    }

    private static Generation Expired(int reserved = 5) =>
        Generation.Begin(Guid.CreateVersion7(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation,
            100, reserved, null, null, Now.AddMinutes(-5));

    [Test]
    public async Task SweepOnce_ExpiredLease_ReturnsEveryPointSavesThePartialAnswerAndEndsTheBufferAfterItsLastEvent()
    {
        var generation = Expired(reserved: 5);
        _generations.Setup(r => r.FindExpiredLeasesAsync(Now, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([generation]);
        var buffer = new InMemoryGenerationBuffer(generation.Id, generation.UserId, GenerationFormat.Conversation);
        await buffer.AppendAsync(new MetadataEvent(generation.InteractionId, true, generation.UserId, generation.Id, 100, 5, Now), default);
        await buffer.AppendAsync(new TokenEvent("Half ", Now), default);
        await buffer.AppendAsync(new TokenEvent("an answer", Now), default);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(buffer);
        GenerationSettlement? settled = null;
        _generations.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), null, It.IsAny<CancellationToken>()))
            .Callback((GenerationSettlement s, (string, string)? _, CancellationToken _) => settled = s)
            .ReturnsAsync(30);

        var swept = await Sweeper().SweepOnceAsync(CancellationToken.None);

        Assert.That(swept, Is.EqualTo(1));
        Assert.That(settled!.ClosesAs, Is.EqualTo(ReservationStatus.Expired));
        Assert.That(settled.ChargedPoints, Is.Zero);
        Assert.That(settled.ReturnedPoints, Is.EqualTo(5));
        Assert.That(settled.Answer.Status, Is.EqualTo(MessageStatus.Failed));
        Assert.That(settled.Answer.Content, Is.EqualTo("Half an answer"));
        Assert.That(await buffer.GetTerminalSequenceAsync(default), Is.EqualTo(4), "the next sequence, never one a client holds");
        Assert.That(generation.TerminalSequence, Is.EqualTo(4));
        var ended = (await buffer.ReadAsync(3, default).SingleAsync()).Event;
        Assert.That(TerminalEvents.FromStored(generation.TerminalEventJson!, generation.TerminalPointsBalance), Is.EqualTo(ended),
            "a replay answers the terminal event the buffer's readers saw");
        Assert.That(generation.TerminalPointsBalance, Is.EqualTo(30), "the balance the settlement returned");
        _generations.Verify(r => r.RecordTerminalEventAsync(generation, It.IsAny<CancellationToken>()), Times.Once);
        _limiter.Verify(l => l.ReleaseAsync(generation.UserId, generation.Id, It.IsAny<CancellationToken>()), Times.Once);
        _cache.Verify(c => c.InvalidateInteractionAsync(generation.InteractionId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SweepOnce_OwnerSettledFirst_TouchesNothingElse()
    {
        var generation = Expired();
        _generations.Setup(r => r.FindExpiredLeasesAsync(Now, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([generation]);
        var buffer = new InMemoryGenerationBuffer(generation.Id, generation.UserId, GenerationFormat.Conversation);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(buffer);
        _generations.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), null, It.IsAny<CancellationToken>())).ReturnsAsync((int?)null);

        var swept = await Sweeper().SweepOnceAsync(CancellationToken.None);

        Assert.That(swept, Is.Zero);
        Assert.That(await buffer.GetLastSequenceAsync(default), Is.Zero);
        _limiter.Verify(l => l.ReleaseAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
        _generations.Verify(r => r.RecordTerminalEventAsync(It.IsAny<Generation>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task SweepOnce_NoBufferLeft_KeepsTheTerminalAtTheOneSequenceNoEarlierEventCanHave()
    {
        var generation = Expired();
        _generations.Setup(r => r.FindExpiredLeasesAsync(Now, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([generation]);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync((IGenerationBuffer?)null);
        _generations.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), null, It.IsAny<CancellationToken>())).ReturnsAsync(30);

        await Sweeper().SweepOnceAsync(CancellationToken.None);

        Assert.That(generation.TerminalSequence, Is.EqualTo(102), "max_tokens + 2");
    }

    /// <summary>
    /// The owner died before its shared copy received even the metadata (it copies its events in runs). The terminal
    /// event was appended as the copy's first event, which a generation's stored terminal can never be: the sweep threw
    /// after its settlement had committed, and the generation never got a stored terminal event to replay.
    /// </summary>
    [Test]
    public async Task SweepOnce_SharedCopyWithoutEvents_RestoresTheStoredMetadataThenEndsIt()
    {
        var metadata = new MetadataEvent(Guid.NewGuid(), true, Guid.NewGuid(), Guid.CreateVersion7(), 100, 5, Now);
        var generation = Generation.Begin(metadata.GenerationId, metadata.UserId, metadata.InteractionId, Guid.NewGuid(),
            GenerationFormat.Conversation, 100, 5, null, null, Now.AddMinutes(-5), StoredEventCodec.Serialize(metadata));
        _generations.Setup(r => r.FindExpiredLeasesAsync(Now, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([generation]);
        var buffer = new InMemoryGenerationBuffer(generation.Id, generation.UserId, GenerationFormat.Conversation);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(buffer);
        _generations.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), null, It.IsAny<CancellationToken>())).ReturnsAsync(30);

        var swept = await Sweeper().SweepOnceAsync(CancellationToken.None);

        Assert.That(swept, Is.EqualTo(1));
        var events = await buffer.ReadAsync(0, default).Select(e => e.Event).ToListAsync();
        Assert.That(events, Has.Count.EqualTo(2));
        Assert.That(events[0], Is.EqualTo(metadata), "the metadata first, as every reader of a generation expects");
        Assert.That(events[1], Is.InstanceOf<ErrorEvent>());
        Assert.That(generation.TerminalSequence, Is.EqualTo(2));
        _generations.Verify(r => r.RecordTerminalEventAsync(generation, It.IsAny<CancellationToken>()), Times.Once);
    }

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
