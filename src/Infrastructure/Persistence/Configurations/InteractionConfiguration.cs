using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.ToTable("Interactions");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Title).HasMaxLength(ColumnLengths.Title);
        builder.Property(i => i.SummaryTitle).HasMaxLength(ColumnLengths.Title);
        builder.HasOne<User>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        // The thread list: a user's threads, pinned first, then by last message.
        builder.HasIndex(i => new { i.UserId, i.IsPinned, i.LastMessageAt });
        // An AI SDK chat id names one thread per user. Unquoted column name: valid on SQLite and SQL Server.
        builder.Property(i => i.ChatId).HasMaxLength(ColumnLengths.ChatId);
        builder.HasIndex(i => new { i.UserId, i.ChatId })
            .IsUnique()
            .HasFilter("ChatId IS NOT NULL");
    }
}
