using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

/// <summary>A message and its media links (one aggregate: the links live and die with the message).</summary>
internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Content).IsRequired();
        builder.HasOne<Interaction>().WithMany().HasForeignKey(m => m.InteractionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.InteractionId, m.CreatedAt });

        builder.HasMany(m => m.Media).WithOne().HasForeignKey(mm => mm.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Media).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
