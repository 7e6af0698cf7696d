using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Email).HasMaxLength(ColumnLengths.Email).IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(ColumnLengths.Email).IsRequired();
        builder.Property(u => u.PasswordHash).HasMaxLength(ColumnLengths.PasswordHash).IsRequired();
        builder.Property(u => u.FirstName).HasMaxLength(ColumnLengths.PersonName);
        builder.Property(u => u.LastName).HasMaxLength(ColumnLengths.PersonName);
        builder.Property(u => u.Role).HasMaxLength(ColumnLengths.Code).IsRequired();
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
    }
}
