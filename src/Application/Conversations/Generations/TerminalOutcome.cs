using System.Text.Json.Serialization;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// A generation's terminal event without the balance it reports: everything about the end that is known before the
/// settlement runs. The settlement stores it (as plain data) beside the balance its own update returns, and both the
/// live end and a replay from the database turn the two into the event with <see cref="ToEvent"/>, so they are equal
/// (docs/architecture.md, "One charge's path").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Answered), "answered")]
[JsonDerivedType(typeof(Failed), "failed")]
public abstract record TerminalOutcome(DateTimeOffset Timestamp)
{
    /// <summary>The terminal event, reporting <paramref name="pointsBalance"/> (the balance after settling) where it says one.</summary>
    public abstract ConversationEvent ToEvent(int pointsBalance);

    /// <summary>An answer (complete, cut at max_tokens, or stopped after its first token): ends with <see cref="CompleteEvent"/>.</summary>
    public sealed record Answered(
        string Content, int InputTokens, int OutputTokens, int PointsCost, string FinishReason, bool Cached, DateTimeOffset Timestamp)
        : TerminalOutcome(Timestamp)
    {
        public override ConversationEvent ToEvent(int pointsBalance) =>
            new CompleteEvent(Content, InputTokens + OutputTokens, PointsCost, InputTokens, OutputTokens, pointsBalance, FinishReason, Cached,
                Timestamp);
    }

    /// <summary>An end with an error: <see cref="ErrorEvent"/>, which says no balance.</summary>
    public sealed record Failed(string Error, string Code, DateTimeOffset Timestamp) : TerminalOutcome(Timestamp)
    {
        public override ConversationEvent ToEvent(int pointsBalance) => new ErrorEvent(Error, Code, Timestamp);
    }
}
