using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Runner;

/// <summary>What one generation streamed, what it was charged, and the terminal event's data kept with the settlement.</summary>
internal sealed record AnswerRun(IReadOnlyList<string> Tokens, ConversationEvent Terminal, GenerationSettlement Settlement, TerminalEventRecord? Kept,
    long TerminalSequence)
{
    public string Text => string.Concat(Tokens);
}

/// <summary>
/// Runs one generation through the real <see cref="GenerationRunner"/> with a real model adapter and the real o200k
/// counter, into a real in-memory event log; only the database (the settlement) and the cache are seams.
/// </summary>
internal static class RunnerHarness
{
    public const int InputEstimate = 50;
    public const int Balance = 1_000;

    public static async Task<AnswerRun> RunAsync(IChatModel model, ChatRequest request, AiOptions? ai = null, StreamingOptions? streaming = null)
    {
        GenerationSettlement? settlement = null;
        TerminalEventRecord? kept = null;
        var repository = new Mock<IGenerationRepository>();
        repository.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), It.IsAny<(string, string)?>(), It.IsAny<CancellationToken>()))
            .Callback((GenerationSettlement s, (string, string)? _, CancellationToken _) => settlement = s)
            .ReturnsAsync(Balance);
        repository.Setup(r => r.SettleAsync(It.IsAny<GenerationSettlement>(), It.IsAny<(string, string)?>(), It.IsAny<TerminalEventRecord?>(), It.IsAny<CancellationToken>()))
            .Callback((GenerationSettlement s, (string, string)? _, TerminalEventRecord? record, CancellationToken _) => (settlement, kept) = (s, record))
            .ReturnsAsync(Balance);
        var services = new Mock<IServiceProvider>();
        services.Setup(s => s.GetService(typeof(IGenerationRepository))).Returns(repository.Object);
        services.Setup(s => s.GetService(typeof(IChatModel))).Returns(model);
        var scope = new Mock<IServiceScope>();
        scope.Setup(s => s.ServiceProvider).Returns(services.Object);
        var scopes = new Mock<IServiceScopeFactory>();
        scopes.Setup(f => f.CreateScope()).Returns(scope.Object);
        var meters = new Mock<IMeterFactory>();
        meters.Setup(f => f.Create(It.IsAny<MeterOptions>())).Returns((MeterOptions o) => new Meter(o));

        var runner = new GenerationRunner(scopes.Object, SharedTokenCounter.Instance, Mock.Of<IConversationCache>(),
            Mock.Of<IGenerationLimiter>(), new StreamMetrics(meters.Object), new GenerationTracing(), TimeProvider.System,
            Options.Create(ai ?? new AiOptions()), Options.Create(streaming ?? new StreamingOptions()), NullLogger<GenerationRunner>.Instance);
        var now = DateTime.UtcNow;
        var generation = Generation.Begin(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation,
            request.MaxTokens, reservedPoints: 100, idempotencyKey: null, requestHash: null, now);
        var buffer = new InMemoryGenerationBuffer(generation.Id, generation.UserId, GenerationFormat.Conversation);
        using var running = new RunningGeneration(generation.Id, generation.UserId, generation.InteractionId, TimeSpan.FromMinutes(1), TimeProvider.System);

        await runner.RunAsync(new GenerationPlan(generation, request, InputEstimate, null, null, null), buffer, running);

        var tokens = new List<string>();
        ConversationEvent? terminal = null;
        long terminalSequence = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in buffer.ReadAsync(0, timeout.Token))
        {
            if (item.Event is TokenEvent token) tokens.Add(token.Content);
            if (item.Event.IsTerminal) (terminal, terminalSequence) = (item.Event, item.Sequence);
        }
        return new AnswerRun(tokens, terminal!, settlement!, kept, terminalSequence);
    }
}
