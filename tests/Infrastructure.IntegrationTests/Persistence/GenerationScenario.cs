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
            GenerationFormat.Conversation, 1000, reserve, idempotencyKey, idempotencyKey is null ? null : "hash", now);
        return new GenerationStart(generation, newInteraction, interactionId, message, reserve, now, Lease);
    }

    public static GenerationSettlement Settle(GenerationStart start, int charged, DateTime now,
        (string Title, string SummaryTitle)? fallbackTitles = null, bool leaseExpired = false)
    {
        var status = leaseExpired ? MessageStatus.Failed : MessageStatus.Completed;
        var outcome = new GenerationOutcome(status, "The answer is 84.", 120, 30, charged, leaseExpired ? "lease expired" : null);
        var answer = Message.FromAssistant(start.InteractionId, start.Generation.Id, outcome, now);
        return new GenerationSettlement(start.Generation.Id, start.Generation.UserId, start.InteractionId, answer, charged,
            fallbackTitles, """{"type":"metadata"}""", balance => $$"""{"type":"complete","points_balance":{{balance}}}""",
            TerminalSequence: 7, now, leaseExpired);
    }
}
