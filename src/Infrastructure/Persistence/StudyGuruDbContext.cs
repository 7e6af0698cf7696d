using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>
/// The model shared by every provider. Each provider has its own subclass so that it can keep its
/// own migration set (EF picks migrations by context type).
/// </summary>
public abstract class StudyGuruDbContext : DbContext, IUnitOfWork
{
    protected StudyGuruDbContext(DbContextOptions options) : base(options) { }

    private bool? _runsOnSqlite;

    /// <summary>
    /// <c>Database.IsSqlite()</c>, asked once per context: EF Core's check reads its provider assembly's name through
    /// <c>Assembly.GetName()</c> on every call, and every start and settlement asked it four times (~6 % of the API's
    /// allocations per conversation: docs/performance.md, "Start and settlement allocations"). A context's provider
    /// never changes, pooled or not.
    /// </summary>
    internal bool RunsOnSqlite => _runsOnSqlite ??= Database.IsSqlite();

    public DbSet<User> Users => Set<User>();
    public DbSet<PointsLedgerEntry> PointsLedger => Set<PointsLedgerEntry>();
    public DbSet<PointsReservation> PointsReservations => Set<PointsReservation>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<MessageMedia> MessageMedia => Set<MessageMedia>();
    public DbSet<Generation> Generations => Set<Generation>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();

    Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException exception) when (UniqueConstraintViolation.Matches(exception))
        {
            throw UniqueConstraintViolation.ToConflict(exception);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueConstraintViolation.Matches(exception))
        {
            throw UniqueConstraintViolation.ToConflict(exception);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StudyGuruDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; a value read back must say so, or serializers would print it as local time.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();

        // Enums are stored by name so that the data stays readable and reordering an enum breaks nothing.
        StoreAsString<MessageRole>(configurationBuilder);
        StoreAsString<MessageStatus>(configurationBuilder);
        StoreAsString<ReservationStatus>(configurationBuilder);
        StoreAsString<PointsTransactionType>(configurationBuilder);
        StoreAsString<GenerationFormat>(configurationBuilder);
    }

    private static void StoreAsString<TEnum>(ModelConfigurationBuilder configurationBuilder) where TEnum : struct, Enum =>
        configurationBuilder.Properties<TEnum>().HaveConversion<string>().HaveMaxLength(20);
}
