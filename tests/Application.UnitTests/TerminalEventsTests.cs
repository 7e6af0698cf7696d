using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Application.UnitTests;

/// <summary>
/// The terminal event is built one way: from the outcome decided before settling and the balance the settlement
/// returned. The owner builds it live; a replay builds it from the stored outcome and the stored balance; both equal.
/// </summary>
public sealed class TerminalEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 2, 0, 0, 123, TimeSpan.Zero);

    private static GenerationResult Answer(string? finishReason = FinishReasons.Stop, bool cached = false) =>
        new(MessageStatus.Completed, "Twelve \"times\" seven is 84.", 9, null, finishReason, null, null, cached, null);

    private static GenerationResult ModelFailed() =>
        new(MessageStatus.Failed, "Half", 1, null, null, ErrorCodes.ModelUnavailable, "The tutor is unavailable right now.", false, null);

    private static GenerationResult Result(string kind) => kind switch
    {
        "completed" => Answer(),
        "cut at max_tokens" => Answer(FinishReasons.Length),
        "from the response cache" => Answer(null, cached: true),
        _ => ModelFailed(),
    };

    [TestCase("completed")]
    [TestCase("cut at max_tokens")]
    [TestCase("from the response cache")]
    [TestCase("model failed")]
    public void LiveAndReplayed_AreTheSameEvent(string kind)
    {
        var outcome = TerminalEvents.OutcomeOf(Result(kind), chargedPoints: 3, inputTokens: 50, outputTokens: 9, Now);

        var live = outcome.ToEvent(26);
        var replayed = TerminalEvents.FromStored(StoredEventCodec.Serialize(outcome), 26);

        Assert.That(replayed, Is.EqualTo(live));
        Assert.That(StoredEventCodec.Serialize(replayed), Is.EqualTo(StoredEventCodec.Serialize(live)));
    }

    [Test]
    public void OutcomeOf_AnAnswer_IsTheCompleteEventTheOwnerUsedToBuild()
    {
        var live = TerminalEvents.OutcomeOf(Answer(), chargedPoints: 3, inputTokens: 50, outputTokens: 9, Now).ToEvent(26);

        Assert.That(live, Is.EqualTo(new CompleteEvent("Twelve \"times\" seven is 84.", 59, 3, 50, 9, 26, FinishReasons.Stop, false, Now)));
    }

    [Test]
    public void OutcomeOf_AFailure_IsItsErrorEventWhateverTheBalance()
    {
        var outcome = TerminalEvents.OutcomeOf(ModelFailed(), chargedPoints: 0, inputTokens: 50, outputTokens: 1, Now);

        Assert.That(outcome.ToEvent(26), Is.EqualTo(new ErrorEvent("The tutor is unavailable right now.", ErrorCodes.ModelUnavailable, Now)));
        Assert.That(outcome.ToEvent(7), Is.EqualTo(outcome.ToEvent(26)));
    }

    [Test]
    public void StoredOutcome_SaysNoBalance()
    {
        var stored = StoredEventCodec.Serialize(TerminalEvents.OutcomeOf(Answer(), 3, 50, 9, Now));

        Assert.That(stored, Does.Not.Contain("Balance"));
        Assert.That(TerminalEvents.FromStored(stored, 41), Is.TypeOf<CompleteEvent>().With.Property(nameof(CompleteEvent.PointsBalance)).EqualTo(41));
    }

    [Test]
    public void FromStored_ARowWrittenBeforeTheBalanceColumn_IsTheWholeEventAsStored()
    {
        var written = new CompleteEvent("Twelve.", 53, 1, 50, 3, 29, FinishReasons.Stop, false, Now);

        Assert.That(TerminalEvents.FromStored(StoredEventCodec.Serialize(written), null), Is.EqualTo(written));
    }
}
