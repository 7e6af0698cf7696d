using StudyGuru.Application.Points;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.UnitTests;

public sealed class PointsPolicyTests
{
    [TestCase(0, 0, 0)]
    [TestCase(150, 0, 0)]
    [TestCase(1, 1, 1)]
    [TestCase(99, 10, 1)]
    [TestCase(100, 10, 1)]
    [TestCase(199, 10, 1)]
    [TestCase(200, 10, 2)]
    [TestCase(1234, 100, 12)]
    public void Price_IsMaxOneTokensOver100_OrZeroWithoutAnswer(int tokensUsed, int outputTokens, int expected) =>
        Assert.That(PointsPricing.Price(tokensUsed, outputTokens), Is.EqualTo(expected));

    [Test]
    public void Plan_BalanceExactlyAtWorst_ReservesWorstAndKeepsMaxTokens()
    {
        // input 150 + max 1000 → worst 11
        var plan = PointsPolicy.Plan(currentPoints: 11, inputEstimate: 150, requestedMaxTokens: 1000, minAnswerTokens: 16);
        Assert.That(plan, Is.EqualTo(new ReservationPlan(true, 11, 1000, 1)));
    }

    [Test]
    public void Plan_OneBelowWorst_ReservesEverythingAndLowersMaxTokens()
    {
        var plan = PointsPolicy.Plan(currentPoints: 10, inputEstimate: 150, requestedMaxTokens: 1000, minAnswerTokens: 16);
        Assert.That(plan.IsAffordable, Is.True);
        Assert.That(plan.ReservePoints, Is.EqualTo(10));
        // 10 * 100 + 99 - 150
        Assert.That(plan.MaxTokens, Is.EqualTo(949));
        // The lowered limit is exactly what the balance pays for: one more token would cost 11.
        Assert.That(PointsPricing.Price(150 + plan.MaxTokens, plan.MaxTokens), Is.EqualTo(10));
        Assert.That(PointsPricing.Price(150 + plan.MaxTokens + 1, plan.MaxTokens + 1), Is.EqualTo(11));
    }

    [Test]
    public void Plan_AtRequiredEdge_IsAffordable_OneBelow_IsNot()
    {
        // input 190 + min 16 = 206 → required 2
        var atEdge = PointsPolicy.Plan(currentPoints: 2, inputEstimate: 190, requestedMaxTokens: 1000, minAnswerTokens: 16);
        var below = PointsPolicy.Plan(currentPoints: 1, inputEstimate: 190, requestedMaxTokens: 1000, minAnswerTokens: 16);
        Assert.That(atEdge.IsAffordable, Is.True);
        Assert.That(atEdge.RequiredPoints, Is.EqualTo(2));
        Assert.That(atEdge.MaxTokens, Is.EqualTo(2 * 100 + 99 - 190));
        Assert.That(below.IsAffordable, Is.False);
        Assert.That(below.RequiredPoints, Is.EqualTo(2));
    }

    [Test]
    public void Plan_SmallRequest_RequiresAtLeastOnePoint()
    {
        var plan = PointsPolicy.Plan(currentPoints: 0, inputEstimate: 10, requestedMaxTokens: 20, minAnswerTokens: 16);
        Assert.That(plan.IsAffordable, Is.False);
        Assert.That(plan.RequiredPoints, Is.EqualTo(1));
        var one = PointsPolicy.Plan(currentPoints: 1, inputEstimate: 10, requestedMaxTokens: 20, minAnswerTokens: 16);
        Assert.That(one, Is.EqualTo(new ReservationPlan(true, 1, 20, 1)));
    }

    [Test]
    public void Plan_LoweredMaxTokensNeverExceedsRequested()
    {
        var plan = PointsPolicy.Plan(currentPoints: 5, inputEstimate: 10, requestedMaxTokens: 600, minAnswerTokens: 16);
        Assert.That(plan.MaxTokens, Is.EqualTo(589));
        var small = PointsPolicy.Plan(currentPoints: 5, inputEstimate: 10, requestedMaxTokens: 200, minAnswerTokens: 16);
        Assert.That(small, Is.EqualTo(new ReservationPlan(true, 2, 200, 1)));
    }
}
