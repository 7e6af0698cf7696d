using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Points;

/// <summary>
/// The reservation rule, pure so that it can be tested at its edges: the worst case of a request is
/// reserved before generation (docs/domain-rules.md, "Points"). The price is <see cref="PointsPricing"/>'s.
/// </summary>
public static class PointsPolicy
{
    private const int TokensPerPoint = PointsPricing.TokensPerPoint;

    /// <summary>The points a request holds when the balance covers its longest answer.</summary>
    public static int WorstCase(int inputEstimate, int requestedMaxTokens) => Math.Max(1, (inputEstimate + requestedMaxTokens) / TokensPerPoint);

    /// <summary>
    /// Decides what to reserve before generation. The caller refuses with 402 when
    /// <see cref="ReservationPlan.IsAffordable"/> is false.
    /// </summary>
    public static ReservationPlan Plan(int currentPoints, int inputEstimate, int requestedMaxTokens, int minAnswerTokens)
    {
        var worst = WorstCase(inputEstimate, requestedMaxTokens);
        var required = Math.Max(1, (inputEstimate + minAnswerTokens) / TokensPerPoint);

        if (currentPoints < required)
            return new ReservationPlan(false, 0, requestedMaxTokens, required);
        if (currentPoints >= worst)
            return new ReservationPlan(true, worst, requestedMaxTokens, required);

        // Reserve everything and shorten the answer to what the balance can pay for:
        // any total below (current + 1) * 100 tokens is priced at most `current` points.
        var affordable = currentPoints * TokensPerPoint + (TokensPerPoint - 1) - inputEstimate;
        return new ReservationPlan(true, currentPoints, Math.Min(requestedMaxTokens, affordable), required);
    }
}

/// <param name="IsAffordable">False: the balance cannot pay for even the minimum answer (402).</param>
/// <param name="ReservePoints">Points to hold for the generation.</param>
/// <param name="MaxTokens">The effective answer limit, lowered when the balance is short of the worst case.</param>
/// <param name="RequiredPoints">The least balance that can start this request.</param>
public sealed record ReservationPlan(bool IsAffordable, int ReservePoints, int MaxTokens, int RequiredPoints);
