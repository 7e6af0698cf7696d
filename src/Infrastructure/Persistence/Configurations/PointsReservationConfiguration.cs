using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StudyGuru.Domain.Accounts;

namespace StudyGuru.Infrastructure.Persistence.Configurations;

internal sealed class PointsReservationConfiguration : IEntityTypeConfiguration<PointsReservation>
{
    public void Configure(EntityTypeBuilder<PointsReservation> builder)
    {
        builder.ToTable("PointsReservations");
        builder.HasKey(r => r.Id);
        // The id is the generation's id; no foreign key to it, so that deleting a thread can release
        // a held reservation explicitly instead of losing its points in a cascade.
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        // The sweep looks for held reservations whose lease has run out; settled ones (nearly all rows)
        // stay out of the index. The filter is plain SQL that both providers accept.
        builder.HasIndex(r => r.LeaseExpiresAt)
            .HasDatabaseName("IX_PointsReservations_Held_LeaseExpiresAt")
            .HasFilter($"Status = '{nameof(ReservationStatus.Held)}'");
        builder.HasIndex(r => r.InteractionId);
    }
}
