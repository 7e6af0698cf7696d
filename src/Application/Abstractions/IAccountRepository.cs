using StudyGuru.Domain.Accounts;

namespace StudyGuru.Application.Abstractions;

public interface IAccountRepository
{
    Task<User?> FindAsync(Guid userId, CancellationToken cancellationToken);
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken);
    Task<bool> ExistsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The role stored on the user (read on every admin call, never cached); null when the user does not exist.</summary>
    Task<string?> GetRoleAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Adds a new user and its first ledger entries; saved by <see cref="IUnitOfWork"/>.</summary>
    void Add(User user, IEnumerable<PointsLedgerEntry> ledgerEntries);

    Task<int?> GetCurrentPointsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Atomically credits points and writes the ledger entry. False when the user does not exist.</summary>
    Task<bool> CreditAsync(Guid userId, int points, PointsTransactionType type, string description, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<Page<PointsLedgerEntry>> ListTransactionsAsync(Guid userId, int page, int size, CancellationToken cancellationToken);
}
