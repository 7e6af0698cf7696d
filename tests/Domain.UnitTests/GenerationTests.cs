using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Domain.UnitTests;

/// <summary>The generation aggregate: one end per generation, priced and clamped in one place.</summary>
public sealed class GenerationTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 22, 0, 0, DateTimeKind.Utc);

    private static Generation Running(int reserved = 10, int maxTokens = 500) =>
        Generation.Begin(Guid.CreateVersion7(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Conversation,
            maxTokens, reserved, null, null, Now, """{"$kind":"metadata"}""");

    [Test]
    public void Settle_CompletedAnswer_ChargesThePriceReturnsTheRestAndRecordsTheAnswer()
    {
        var generation = Running(reserved: 10);

        var settlement = generation.Settle(new AnswerUsage("The answer is 84.", 250, 130), MessageStatus.Completed, null, false, Now);

        Assert.That(settlement.ClosesAs, Is.EqualTo(ReservationStatus.Settled));
        Assert.That(settlement.ChargedPoints, Is.EqualTo(3), "380 tokens / 100");
        Assert.That(settlement.ReturnedPoints, Is.EqualTo(7));
        Assert.That(settlement.Answer.Status, Is.EqualTo(MessageStatus.Completed));
        Assert.That(settlement.Answer.PointsCost, Is.EqualTo(3));
        Assert.That(settlement.Answer.TokensUsed, Is.EqualTo(380));
        Assert.That(settlement.Answer.GenerationId, Is.EqualTo(generation.Id));
        Assert.That(generation.HasEnded, Is.True);
    }

    [Test]
    public void Settle_ProviderCountedMoreThanWasHeld_ChargesOnlyWhatWasHeld()
    {
        var generation = Running(reserved: 2);

        var settlement = generation.Settle(new AnswerUsage("long", 900, 400), MessageStatus.Completed, null, false, Now);

        Assert.That(settlement.ChargedPoints, Is.EqualTo(2));
        Assert.That(settlement.ReturnedPoints, Is.Zero);
    }

    [Test]
    public void Settle_CancelledBeforeAnyToken_ChargesNothing()
    {
        var generation = Running();

        var settlement = generation.Settle(new AnswerUsage("", 300, 0), MessageStatus.Cancelled, "cancelled", false, Now);

        Assert.That(settlement.ChargedPoints, Is.Zero);
        Assert.That(settlement.ReturnedPoints, Is.EqualTo(10));
        Assert.That(settlement.Answer.Status, Is.EqualTo(MessageStatus.Cancelled));
    }

    [Test]
    public void Settle_CancelledAfterTokens_ChargesWhatWasProducedAtLeastOnePoint()
    {
        var generation = Running();

        var settlement = generation.Settle(new AnswerUsage("Plants use", 40, 2), MessageStatus.Cancelled, null, false, Now);

        Assert.That(settlement.ChargedPoints, Is.EqualTo(1));
    }

    [Test]
    public void Settle_OurOwnFailure_ChargesNothingButKeepsThePartialAnswer()
    {
        var generation = Running();

        var settlement = generation.Settle(new AnswerUsage("Plants use", 400, 2), MessageStatus.Failed, "internal", chargeNothing: true, Now);

        Assert.That(settlement.ChargedPoints, Is.Zero);
        Assert.That(settlement.Answer.Content, Is.EqualTo("Plants use"));
        Assert.That(settlement.Answer.Status, Is.EqualTo(MessageStatus.Failed));
    }

    [Test]
    public void Expire_ReturnsEveryPointAndSavesThePartialAnswerAsFailed()
    {
        var generation = Running(reserved: 6);

        var settlement = generation.Expire("Half an answ", "owner lost", Now);

        Assert.That(settlement.ClosesAs, Is.EqualTo(ReservationStatus.Expired));
        Assert.That(settlement.ChargedPoints, Is.Zero);
        Assert.That(settlement.ReturnedPoints, Is.EqualTo(6));
        Assert.That(settlement.Answer.Status, Is.EqualTo(MessageStatus.Failed));
        Assert.That(settlement.Answer.Content, Is.EqualTo("Half an answ"));
    }

    [Test]
    public void SettleOrExpire_AfterTheEnd_IsRefused()
    {
        var generation = Running();
        generation.Settle(new AnswerUsage("x", 10, 1), MessageStatus.Completed, null, false, Now);

        Assert.Throws<DomainRuleException>(() => generation.Settle(new AnswerUsage("x", 10, 1), MessageStatus.Completed, null, false, Now));
        Assert.Throws<DomainRuleException>(() => generation.Expire("x", "late", Now));
    }

    [Test]
    public void Settle_StillProcessing_IsRefused()
    {
        Assert.Throws<DomainRuleException>(() =>
            Running().Settle(new AnswerUsage("x", 10, 1), MessageStatus.Processing, null, false, Now));
    }

    [Test]
    public void RecordTerminalEvent_BeforeTheEnd_IsRefused_AfterIt_IsKept()
    {
        var generation = Running();
        Assert.Throws<DomainRuleException>(() => generation.RecordTerminalEvent(5, "{}", 20));

        generation.Expire("", "owner lost", Now);
        Assert.Throws<DomainRuleException>(() => generation.RecordTerminalEvent(5, "{}", -1));
        generation.RecordTerminalEvent(5, """{"$kind":"failed"}""", 20);

        Assert.That(generation.TerminalSequence, Is.EqualTo(5));
        Assert.That(generation.TerminalEventJson, Is.EqualTo("""{"$kind":"failed"}"""));
        Assert.That(generation.TerminalPointsBalance, Is.EqualTo(20));
    }

    [TestCase(0, 1)]
    [TestCase(10, 0)]
    public void Begin_WithoutTokensOrPoints_IsRefused(int maxTokens, int reserved)
    {
        Assert.Throws<DomainRuleException>(() =>
            Generation.Begin(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationFormat.Simple,
                maxTokens, reserved, null, null, Now));
    }

    [Test]
    public void HoldReservation_IsNamedByTheGenerationAndHoldsItsPoints()
    {
        var generation = Running(reserved: 4);

        var reservation = generation.HoldReservation(Now, TimeSpan.FromSeconds(60));

        Assert.That(reservation.Id, Is.EqualTo(generation.Id));
        Assert.That(reservation.Amount, Is.EqualTo(4));
        Assert.That(reservation.Status, Is.EqualTo(ReservationStatus.Held));
    }
}
