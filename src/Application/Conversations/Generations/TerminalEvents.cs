using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Builds a generation's terminal event, the one way for the owner that ends it and for a replay from the database:
/// the outcome is decided before settling, stored with the settlement as data, and the event is made from it and the
/// balance the settlement returned (docs/architecture.md, "One charge's path"). No repository calls back into this.
/// </summary>
public static class TerminalEvents
{
    /// <summary>The balance-independent part of the owner's terminal event, known before it settles.</summary>
    internal static TerminalOutcome OutcomeOf(
        GenerationResult result, int chargedPoints, int inputTokens, int outputTokens, DateTimeOffset now) =>
        result.ErrorCode is { } code
            ? new TerminalOutcome.Failed(result.ErrorMessage ?? code, code, now)
            : new TerminalOutcome.Answered(result.Content, inputTokens, outputTokens, chargedPoints, result.FinishReason ?? FinishReasons.Stop,
                result.Cached, now);

    /// <summary>
    /// The terminal event a replay answers, from what the generation's row keeps: the stored outcome and the balance
    /// after settling; or, for a row written before the balance had a column of its own, the whole event as stored.
    /// </summary>
    public static ConversationEvent FromStored(string terminalEventJson, int? pointsBalance) =>
        pointsBalance is { } balance
            ? StoredEventCodec.DeserializeOutcome(terminalEventJson).ToEvent(balance)
            : StoredEventCodec.Deserialize(terminalEventJson);
}
