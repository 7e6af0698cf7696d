using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace StudyGuru.Infrastructure.Persistence;

/// <summary>Stores times as UTC and marks them UTC on read (providers return <see cref="DateTimeKind.Unspecified"/>).
/// EF never passes nulls to a converter, so this one serves nullable times too.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => ToUtc(value),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc))
{
    // Unspecified values are taken to be UTC already: every time in the domain comes from a UTC clock.
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}

