using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.IntegrationTests.Persistence;

/// <summary>Builds start and settlement requests from the domain factories, as the use case would.</summary>
internal static class GenerationScenario
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public static GenerationStart NewThread(Guid userId, int reserve, DateTime now, string text = "What is 12*(3+4)?",
        string? idempotencyKey = null, IEnumerable<(Guid Id, string FileType)>? media = null)
    {
        var interaction = Interaction.Start(userId, now);
        return Start(userId, interaction, interaction.Id, reserve, now, text, idempotencyKey, media);
    }

    public static GenerationStart InThread(Guid userId, Guid interactionId, int reserve, DateTime now, string text = "And 2+2?",
        IEnumerable<(Guid Id, string FileType)>? media = null) =>
        Start(userId, null, interactionId, reserve, now, text, null, media);

    private static GenerationStart Start(Guid userId, Interaction? newInteraction, Guid interactionId, int reserve, DateTime now,
        string text, string? idempotencyKey, IEnumerable<(Guid Id, string FileType)>? media)
    {
        var message = Message.FromUser(interactionId, text, media ?? [], now);
        var generation = Generation.Begin(Guid.CreateVersion7(), userId, interactionId, message.Id,
            GenerationFormat.Conversation, 1000, reserve, idempotencyKey, idempotencyKey is null ? null : "hash", now,
            FirstEventJson);
        return new GenerationStart(generation, newInteraction, interactionId, message, now, Lease);
    }

    public const string FirstEventJson = """{"type":"metadata"}""";

    /// <summary>
    /// The settlement the aggregate decides for an answer priced at <paramref name="charged"/> points (0: one that
    /// charges nothing), or its expiry. Each call decides on its own copy of the generation, as another
    /// instance (or a sweep) would after loading it.
    /// </summary>
    public static ScenarioSettlement Settle(GenerationStart start, int charged, DateTime now,
        (string Title, string SummaryTitle)? fallbackTitles = null, bool leaseExpired = false)
    {
        var g = start.Generation;
        var copy = Generation.Begin(g.Id, g.UserId, g.InteractionId, g.UserMessageId, g.Format, g.MaxTokens, g.ReservedPoints,
            g.IdempotencyKey, g.RequestHash, g.CreatedAt, g.FirstEventJson);
        var settlement = leaseExpired
            ? copy.Expire("The answer is 84.", "lease expired", now)
            : copy.Settle(new AnswerUsage("The answer is 84.", Math.Max(1, charged * 100 - 1), 1), MessageStatus.Completed, null,
                chargeNothing: charged == 0, now);
        return new ScenarioSettlement(copy, settlement, fallbackTitles);
    }
}

internal sealed record ScenarioSettlement(Generation Generation, GenerationSettlement Settlement, (string Title, string SummaryTitle)? FallbackTitles);

internal static class ScenarioSettlementExtensions
{
    /// <summary>Settles, then keeps a terminal event that names the balance at sequence 7, as the runner does.</summary>
    public static async Task<int?> SettleAsync(this IGenerationRepository repository, ScenarioSettlement scenario, CancellationToken cancellationToken)
    {
        var balance = await repository.SettleAsync(scenario.Settlement, scenario.FallbackTitles, cancellationToken);
        if (balance is null) return null;
        scenario.Generation.RecordTerminalEvent(7, $$"""{"type":"complete","points_balance":{{balance}}}""", null);
        await repository.RecordTerminalEventAsync(scenario.Generation, cancellationToken);
        return balance;
    }
}
