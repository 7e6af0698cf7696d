using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Domain.UnitTests;

public sealed class DomainRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Credit_SignupBonus_RaisesBalanceAndEarnedAndReturnsEarnedEntry()
    {
        var user = User.Register("a@b.com", "hash", null, null, Now);
        var entry = user.Credit(30, PointsTransactionType.Earned, "Signup bonus", Now);
        Assert.That(user.CurrentPoints, Is.EqualTo(30));
        Assert.That(user.TotalPointsEarned, Is.EqualTo(30));
        Assert.That(entry.Type, Is.EqualTo(PointsTransactionType.Earned));
        Assert.That(entry.Points, Is.EqualTo(30));
        Assert.That(entry.UserId, Is.EqualTo(user.Id));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Credit_NonPositive_IsRefused(int points)
    {
        var user = User.Register("a@b.com", "hash", null, null, Now);
        Assert.Throws<DomainRuleException>(() => user.Credit(points, PointsTransactionType.Purchased, "x", Now));
    }

    [Test]
    public void Credit_UsedType_IsRefused()
    {
        var user = User.Register("a@b.com", "hash", null, null, Now);
        Assert.Throws<DomainRuleException>(() => user.Credit(5, PointsTransactionType.Used, "x", Now));
    }

    [Test]
    public void Register_NormalizesEmailForLookups()
    {
        var user = User.Register("  Mixed@Case.com ", "hash", null, null, Now);
        Assert.That(user.Email, Is.EqualTo("Mixed@Case.com"));
        Assert.That(user.NormalizedEmail, Is.EqualTo("MIXED@CASE.COM"));
    }

    [TestCase(5, 3, 3)]
    [TestCase(5, 5, 5)]
    [TestCase(5, 9, 5)]
    [TestCase(5, 0, 0)]
    public void Settle_ChargeNeverExceedsWhatWasHeld(int held, int price, int expected)
    {
        var generation = Domain.Generations.Generation.Begin(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            Domain.Generations.GenerationFormat.Conversation, 1000, held, null, null, Now);
        var reservation = generation.HoldReservation(Now, TimeSpan.FromSeconds(60));
        // price points' worth of tokens: (price * 100 - 1) input and one output token (none at all for 0).
        var usage = new Domain.Generations.AnswerUsage("x", Math.Max(0, price * 100 - 1), price > 0 ? 1 : 0);
        var settlement = generation.Settle(usage, MessageStatus.Completed, null, chargeNothing: false, Now);
        Assert.That(settlement.ChargedPoints, Is.EqualTo(expected));
        Assert.That(settlement.ReturnedPoints, Is.EqualTo(held - expected));
        Assert.That(reservation.Amount, Is.EqualTo(held));
        Assert.That(reservation.LeaseExpiresAt, Is.EqualTo(Now.AddSeconds(60)));
    }

    [Test]
    public void Hold_ZeroPoints_IsRefused() =>
        Assert.Throws<DomainRuleException>(() => PointsReservation.Hold(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 0, Now, TimeSpan.FromSeconds(60)));

    [TestCase("What is 2+2?", "What is 2+2?", "Help with what is 2+2?")]
    [TestCase("Explain   the\nPythagorean theorem with a worked example please", "Explain the Pythagorean theorem with a w", "Help with explain the pythagorean theorem with a w")]
    [TestCase("", "Image question", "Help with image question")]
    [TestCase(null, "Image question", "Help with image question")]
    public void FallbackTitles_First40CharactersOrImageQuestion(string? message, string title, string summary)
    {
        var (t, s) = Interaction.FallbackTitles(message);
        Assert.That(t, Is.EqualTo(title));
        Assert.That(s, Is.EqualTo(summary));
        Assert.That(t.Length, Is.LessThanOrEqualTo(Interaction.FallbackTitleLength));
    }

    [Test]
    public void Rename_MarksTitleAsTheUsers_AndBlankIsRefused()
    {
        var interaction = Interaction.Start(Guid.NewGuid(), Now);
        interaction.Rename("  Algebra  ", Now.AddMinutes(1));
        Assert.That(interaction.Title, Is.EqualTo("Algebra"));
        Assert.That(interaction.TitleSetByUser, Is.True);
        Assert.That(interaction.UpdatedAt, Is.EqualTo(Now.AddMinutes(1)));
        Assert.Throws<DomainRuleException>(() => interaction.Rename(" ", Now));
    }

    [Test]
    public void FromAssistant_TokensUsedIsInputPlusOutput()
    {
        var message = Message.FromAssistant(Guid.NewGuid(), Guid.NewGuid(),
            new GenerationOutcome(MessageStatus.Cancelled, "partial", 120, 7, 1, null), Now);
        Assert.That(message.TokensUsed, Is.EqualTo(127));
        Assert.That(message.Role, Is.EqualTo(MessageRole.Assistant));
        Assert.That(message.Status, Is.EqualTo(MessageStatus.Cancelled));
    }

    [Test]
    public void FromAssistant_StillProcessing_IsRefused() =>
        Assert.Throws<DomainRuleException>(() => Message.FromAssistant(Guid.NewGuid(), Guid.NewGuid(),
            new GenerationOutcome(MessageStatus.Processing, "", 0, 0, 0, null), Now));

    [Test]
    public void FromUser_RecordsItsMedia()
    {
        var mediaId = Guid.NewGuid();
        var message = Message.FromUser(Guid.NewGuid(), "", [(mediaId, "image/png")], Now);
        Assert.That(message.Media.Single().MediaId, Is.EqualTo(mediaId));
        Assert.That(message.Media.Single().FileType, Is.EqualTo("image/png"));
    }
}
