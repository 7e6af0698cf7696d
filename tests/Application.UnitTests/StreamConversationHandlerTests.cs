using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.UnitTests;

/// <summary>The use case at its seams: what is refused before a stream, and what a retry never does.</summary>
public sealed class StreamConversationHandlerTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 22, 0, 0, DateTimeKind.Utc);
    private Mock<IGenerationRepository> _generations = null!;
    private Mock<IGenerationLimiter> _limiter = null!;
    private Mock<IAccountRepository> _accounts = null!;
    private Mock<IGenerationBufferStore> _buffers = null!;

    [SetUp]
    public void NewSeams()
    {
        _generations = new Mock<IGenerationRepository>();
        _limiter = new Mock<IGenerationLimiter>();
        _accounts = new Mock<IAccountRepository>();
        _buffers = new Mock<IGenerationBufferStore>();
    }

    /// <summary>Signals of a single instance: nobody to ask for a stop, no readers elsewhere.</summary>
    private static IGenerationSignals SingleInstanceSignals()
    {
        var signals = new Mock<IGenerationSignals>();
        signals.Setup(s => s.TrackRemoteReader(It.IsAny<Guid>())).Returns(Mock.Of<IAsyncDisposable>());
        return signals.Object;
    }

    private StreamConversationHandler Handler()
    {
        var interactions = Mock.Of<IInteractionRepository>();
        var cache = Mock.Of<IConversationCache>();
        var tokens = new Mock<ITokenCounter>();
        tokens.Setup(t => t.CountTokens(It.IsAny<string>())).Returns(10);
        var ai = Options.Create(new AiOptions());
        var points = Options.Create(new PointsOptions());
        var streaming = Options.Create(new StreamingOptions());
        var meters = new Mock<IMeterFactory>();
        meters.Setup(f => f.Create(It.IsAny<MeterOptions>())).Returns((MeterOptions o) => new Meter(o));
        var metrics = new StreamMetrics(meters.Object);
        var scopes = Mock.Of<IServiceScopeFactory>();
        var running = new RunningGenerations();
        var signals = SingleInstanceSignals();
        var reader = new GenerationReader(running, signals, new ShutdownSignal());
        var runner = new GenerationRunner(scopes, tokens.Object, cache, _limiter.Object, metrics, new GenerationTracing(), TimeProvider.System,
            ai, streaming, NullLogger<GenerationRunner>.Instance);
        var host = new GenerationHost(runner, running, scopes, signals, cache, new ShutdownSignal(), metrics, TimeProvider.System,
            points, streaming, NullLogger<GenerationHost>.Instance);
        var access = new ConversationAccess(interactions, cache);
        var replay = new GenerationReplay(_buffers.Object, _generations.Object, reader);
        return new StreamConversationHandler(
            access,
            new ConversationContextBuilder(interactions, Mock.Of<IMediaRepository>(), cache, tokens.Object, ai, points),
            new IdempotentRetries(_generations.Object, new IdempotencyKeyTurns(), replay, TimeProvider.System),
            new StartAdmission(_accounts.Object, _limiter.Object, access, points),
            new GenerationStarter(_generations.Object, access, _buffers.Object, host, TimeProvider.System, ai, points),
            reader,
            ai);
    }

    [Test]
    public async Task Handle_RetryUnderTheKeyOfAnEndedGeneration_ReplaysItAndNeverTakesALimitOrStarts()
    {
        var userId = Guid.NewGuid();
        var query = new StreamConversationQuery(userId, null, "What is 2+2?", null, 50, GenerationFormat.Conversation, "retry-1");
        var first = Generation.Begin(Guid.CreateVersion7(), userId, Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation, 50, 1,
            "retry-1", RequestFingerprint.Compute(query), Now,
            StoredEventCodec.Serialize(new MetadataEvent(Guid.NewGuid(), true, userId, Guid.NewGuid(), 50, 1, Now)));
        first.Settle(new AnswerUsage("4", 30, 1), MessageStatus.Completed, null, false, Now);
        first.RecordTerminalEvent(3, StoredEventCodec.Serialize(new TerminalOutcome.Answered("4", 30, 1, 1, FinishReasons.Stop, false, Now)), 29);
        _generations.Setup(r => r.FindByIdempotencyKeyAsync(userId, "retry-1", It.IsAny<CancellationToken>())).ReturnsAsync(first);
        _generations.Setup(r => r.FindOwnedAsync(first.Id, userId, It.IsAny<CancellationToken>())).ReturnsAsync(first);

        var events = new List<GenerationEvent>();
        await foreach (var item in Handler().Handle(query, CancellationToken.None)) events.Add(item);

        Assert.That(events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(events.Select(e => e.GenerationId), Is.All.EqualTo(first.Id));
        _limiter.Verify(l => l.AcquireAsync(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
        _generations.Verify(r => r.StartAsync(It.IsAny<GenerationStart>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_BalanceBelowTheMinimum_Is402BeforeAnyStreamAndGivesTheLimitBack()
    {
        var userId = Guid.NewGuid();
        _accounts.Setup(a => a.GetCurrentPointsAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(0);
        var query = new StreamConversationQuery(userId, null, "What is 2+2?", null, 50, GenerationFormat.Conversation);

        await using var events = Handler().Handle(query, CancellationToken.None).GetAsyncEnumerator();

        Assert.That(async () => await events.MoveNextAsync(),
            Throws.InstanceOf<InsufficientPointsException>().With.Property(nameof(InsufficientPointsException.RequiredPoints)).EqualTo(1));
        _limiter.Verify(l => l.AcquireAsync(userId, It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Once);
        _limiter.Verify(l => l.RefundAsync(userId, It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Once);
        _generations.Verify(r => r.StartAsync(It.IsAny<GenerationStart>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_ConcurrentStartsDrainTheBalanceEveryTime_ReplansThreeTimesThen402AndGivesEverySlotBack()
    {
        var userId = Guid.NewGuid();
        _accounts.Setup(a => a.GetCurrentPointsAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(1_000);
        _generations.Setup(r => r.StartAsync(It.IsAny<GenerationStart>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GenerationStartResult.InsufficientPoints(0));
        var query = new StreamConversationQuery(userId, null, "What is 2+2?", null, 50, GenerationFormat.Conversation);

        await using var events = Handler().Handle(query, CancellationToken.None).GetAsyncEnumerator();

        Assert.That(async () => await events.MoveNextAsync(),
            Throws.InstanceOf<InsufficientPointsException>().With.Property(nameof(InsufficientPointsException.CurrentPoints)).EqualTo(0));
        _generations.Verify(r => r.StartAsync(It.IsAny<GenerationStart>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        _limiter.Verify(l => l.AcquireAsync(userId, It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        _limiter.Verify(l => l.RefundAsync(userId, It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        _buffers.Verify(b => b.Create(It.IsAny<Guid>(), It.IsAny<Guid>(), It.IsAny<GenerationFormat>()), Times.Never);
    }
}
