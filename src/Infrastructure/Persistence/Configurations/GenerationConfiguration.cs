using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class GenerationConfiguration : IEntityTypeConfiguration<Generation>
{
    public void Configure(EntityTypeBuilder<Generation> builder)
    {
        builder.ToTable("Generations");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.IdempotencyKey).HasMaxLength(ColumnLengths.IdempotencyKey);
        builder.Property(g => g.RequestHash).HasMaxLength(ColumnLengths.RequestHash);
        builder.HasOne<Interaction>().WithMany().HasForeignKey(g => g.InteractionId).OnDelete(DeleteBehavior.Cascade);
        // NoAction: the interaction already cascades here, and SQL Server refuses two cascade paths.
        builder.HasOne<User>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.NoAction);
        // Unquoted column name: the same filter text is valid SQL on SQLite and SQL Server.
        builder.HasIndex(g => new { g.UserId, g.IdempotencyKey })
            .IsUnique()
            .HasFilter("IdempotencyKey IS NOT NULL");
    }
}
