using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class MessageMediaConfiguration : IEntityTypeConfiguration<MessageMedia>
{
    public void Configure(EntityTypeBuilder<MessageMedia> builder)
    {
        builder.ToTable("MessageMedia");
        builder.HasKey(mm => new { mm.MessageId, mm.MediaId });
        builder.Property(mm => mm.FileType).HasMaxLength(ColumnLengths.FileType).IsRequired();
        // Deliberately no foreign key to MediaFiles: deleting a file keeps the link, marked Removed,
        // so the thread still shows that an image was there.
        builder.HasIndex(mm => mm.MediaId);
    }
}
