namespace StudyGuru.Application.Abstractions;

/// <summary>One page of a list, with the total so that clients can page.</summary>
public sealed record Page<T>(int Total, bool HasNextPage, IReadOnlyList<T> Items)
{
    public static Page<T> From(int total, int skipped, IReadOnlyList<T> items) =>
        new(total, skipped + items.Count < total, items);
}
