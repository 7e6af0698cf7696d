using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.UnitTests;

/// <summary>Opening a generation for a resume: every refusal before the first byte.</summary>
public sealed class GenerationReplayTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 22, 0, 0, DateTimeKind.Utc);
    private Mock<IGenerationBufferStore> _buffers = null!;
    private Mock<IGenerationRepository> _generations = null!;

    [SetUp]
    public void NewSeams()
    {
        _buffers = new Mock<IGenerationBufferStore>(MockBehavior.Strict);
        _generations = new Mock<IGenerationRepository>();
    }

    private GenerationReplay Replay() =>
        new(_buffers.Object, _generations.Object, new GenerationReader(new RunningGenerations(), SingleInstanceSignals(), new ShutdownSignal()));

    /// <summary>Signals of a single instance: nobody to ask for a stop, no readers elsewhere.</summary>
    private static IGenerationSignals SingleInstanceSignals()
    {
        var signals = new Mock<IGenerationSignals>();
        signals.Setup(s => s.TrackRemoteReader(It.IsAny<Guid>())).Returns(Mock.Of<IAsyncDisposable>());
        return signals.Object;
    }

    private static Generation Started(Guid userId, int maxTokens = 20) =>
        Generation.Begin(Guid.CreateVersion7(), userId, Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation, maxTokens, 2, null, null, Now,
            StoredEventCodec.Serialize(new MetadataEvent(Guid.NewGuid(), true, userId, Guid.NewGuid(), maxTokens, 2, Now)));

    [Test]
    public void Open_PositionBeyondMaxTokensPlusTwo_Is400BeforeAnyBufferIsLookedAt()
    {
        var userId = Guid.NewGuid();
        var generation = Started(userId, maxTokens: 20);
        _generations.Setup(r => r.FindOwnedAsync(generation.Id, userId, It.IsAny<CancellationToken>())).ReturnsAsync(generation);

        Assert.That(() => Replay().OpenAsync(userId, generation.Id, 23, CancellationToken.None), Throws.InstanceOf<RequestValidationException>());
        _buffers.VerifyNoOtherCalls();
    }

    [Test]
    public void Open_AnotherUsersGenerationWithAPosition_Is404()
    {
        _generations.Setup(r => r.FindOwnedAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>())).ReturnsAsync((Generation?)null);

        Assert.That(() => Replay().OpenAsync(Guid.NewGuid(), Guid.NewGuid(), 3, CancellationToken.None), Throws.InstanceOf<NotFoundException>());
    }

    [Test]
    public async Task Open_EndedAndNoBufferLeft_ReplaysMetadataTheAnswerAsOneTokenAndTheTerminalEvent()
    {
        var userId = Guid.NewGuid();
        var generation = Started(userId);
        generation.Settle(new AnswerUsage("Twelve.", 50, 3), MessageStatus.Completed, null, false, Now);
        generation.RecordTerminalEvent(6, StoredEventCodec.Serialize(
            new TerminalOutcome.Answered("Twelve.", 50, 3, 1, FinishReasons.Stop, false, Now)), 29);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync((IGenerationBuffer?)null);
        _generations.Setup(r => r.FindOwnedAsync(generation.Id, userId, It.IsAny<CancellationToken>())).ReturnsAsync(generation);

        var events = new List<GenerationEvent>();
        await foreach (var item in await Replay().OpenAsync(userId, generation.Id, null, CancellationToken.None)) events.Add(item);

        Assert.That(events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 5, 6 }));
        Assert.That(events[1].Event, Is.EqualTo(new TokenEvent("Twelve.", new DateTimeOffset(Now))));
        Assert.That(events[2].Event, Is.EqualTo(new CompleteEvent("Twelve.", 53, 1, 50, 3, 29, FinishReasons.Stop, false, Now)),
            "built from the stored outcome and the balance the settlement kept");
    }

    [Test]
    public async Task Open_EndedBeforeTheBalanceHadAColumn_ReplaysTheWholeStoredTerminalEvent()
    {
        var userId = Guid.NewGuid();
        var generation = Started(userId);
        generation.Settle(new AnswerUsage("Twelve.", 50, 3), MessageStatus.Completed, null, false, Now);
        var written = new CompleteEvent("Twelve.", 53, 1, 50, 3, 29, FinishReasons.Stop, false, Now);
        generation.RecordTerminalEvent(6, StoredEventCodec.Serialize(written), null);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync((IGenerationBuffer?)null);
        _generations.Setup(r => r.FindOwnedAsync(generation.Id, userId, It.IsAny<CancellationToken>())).ReturnsAsync(generation);

        var events = new List<GenerationEvent>();
        await foreach (var item in await Replay().OpenAsync(userId, generation.Id, 1, CancellationToken.None)) events.Add(item);

        Assert.That(events.Select(e => (e.Sequence, e.Event)), Is.EqualTo(new[] { (6L, (ConversationEvent)written) }));
    }

    [Test]
    public void Open_EndedAndPositionAtTheEnd_Is204()
    {
        var userId = Guid.NewGuid();
        var generation = Started(userId);
        generation.Expire("", "owner lost", Now);
        generation.RecordTerminalEvent(22, StoredEventCodec.Serialize(new TerminalOutcome.Failed("lost", ErrorCodes.Internal, Now)), 30);
        _buffers.Setup(b => b.FindAsync(generation.Id, It.IsAny<CancellationToken>())).ReturnsAsync((IGenerationBuffer?)null);
        _generations.Setup(r => r.FindOwnedAsync(generation.Id, userId, It.IsAny<CancellationToken>())).ReturnsAsync(generation);

        Assert.That(() => Replay().OpenAsync(userId, generation.Id, 22, CancellationToken.None), Throws.InstanceOf<NoContentException>());
    }
}
