using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

internal sealed class AccountRepository(StudyGuruDbContext db, TimeProvider clock) : IAccountRepository
{
    public Task<User?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        return db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public Task<bool> ExistsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == userId, cancellationToken);

    public Task<string?> GetRoleAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Role).SingleOrDefaultAsync(cancellationToken);

    public void Add(User user, IEnumerable<PointsLedgerEntry> ledgerEntries)
    {
        db.Users.Add(user);
        db.PointsLedger.AddRange(ledgerEntries);
    }

    public Task<int?> GetCurrentPointsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => (int?)u.CurrentPoints)
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<bool> CreditAsync(
        Guid userId, int points, PointsTransactionType type, string description, CancellationToken cancellationToken)
    {
        if (type is not (PointsTransactionType.Earned or PointsTransactionType.Purchased))
            throw new DomainRuleException("Only earned or purchased points can be credited.");
        // Built before the transaction: it refuses a non-positive amount.
        var entry = PointsLedgerEntry.Create(userId, type, points, description, null, clock.GetUtcNow().UtcDateTime);

        var credited = await db.InTransactionAsync(async ct =>
        {
            var updated = await db.Users
                .Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.CurrentPoints, u => u.CurrentPoints + points)
                    .SetProperty(u => u.TotalPointsEarned, u => u.TotalPointsEarned + points), ct);
            if (updated == 0) return TransactionOutcome<bool>.RolledBack(false);
            db.PointsLedger.Add(entry);
            await db.SaveChangesAsync(ct);
            return TransactionOutcome<bool>.Committed(true);
        }, cancellationToken);

        if (credited) await db.RefreshIfTrackedAsync<User>(userId, cancellationToken);
        return credited;
    }

    public async Task<Page<PointsLedgerEntry>> ListTransactionsAsync(Guid userId, int page, int size, CancellationToken cancellationToken)
    {
        var entries = db.PointsLedger.AsNoTracking().Where(e => e.UserId == userId);
        var total = await entries.CountAsync(cancellationToken);
        var skip = (Math.Max(page, 1) - 1) * size;
        var items = await entries
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.Id)
            .Skip(skip)
            .Take(size)
            .ToListAsync(cancellationToken);
        return Page<PointsLedgerEntry>.From(total, skip, items);
    }
}
