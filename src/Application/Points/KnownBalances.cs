using System.Collections.Concurrent;

namespace StudyGuru.Application.Points;

/// <summary>
/// The last balance this process saw for each user (a start returns it, a balance read reads it). A start whose
/// user's last balance covers the request's worst case plans with it instead of reading the balance again:
/// such a plan is the one a fresh read would give whenever the balance still covers the worst case, and when it
/// no longer does the start's conditional update refuses it and the start is planned again from a fresh read.
/// So a stale value costs one refused attempt, never a different outcome (docs/performance.md, "third round").
/// </summary>
public sealed class KnownBalances
{
    /// <summary>Bounded: past this many users the table starts over (each entry is a hint, nothing is lost).</summary>
    private const int MaxUsers = 100_000;

    private readonly ConcurrentDictionary<Guid, int> _balances = new();

    /// <summary>The last balance seen, if it covers <paramref name="worstCase"/>.</summary>
    public bool TryGetCovering(Guid userId, int worstCase, out int points) =>
        _balances.TryGetValue(userId, out points) && points >= worstCase;

    public void Remember(Guid userId, int points)
    {
        if (_balances.Count >= MaxUsers) _balances.Clear();
        _balances[userId] = points;
    }
}
