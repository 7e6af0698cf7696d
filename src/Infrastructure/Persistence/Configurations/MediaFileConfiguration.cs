using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Media;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class MediaFileConfiguration : IEntityTypeConfiguration<MediaFile>
{
    public void Configure(EntityTypeBuilder<MediaFile> builder)
    {
        builder.ToTable("MediaFiles");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.FileType).HasMaxLength(ColumnLengths.FileType).IsRequired();
        builder.Property(m => m.StorageKey).HasMaxLength(ColumnLengths.StorageKey).IsRequired();
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to the interaction: a file may be uploaded before its thread exists, and
        // deleting a thread decides itself which of its files go (those no other thread uses).
        builder.HasIndex(m => m.InteractionId);
    }
}
