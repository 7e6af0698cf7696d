namespace StudyGuru.Infrastructure.Caching;

/// <summary>How long conversation data lives in a local cache, and how much memory that cache may hold.</summary>
internal sealed record ConversationCacheLifetimes(
    TimeSpan OwnerSliding,
    TimeSpan OwnerAbsolute,
    TimeSpan History,
    TimeSpan Response,
    long LocalSizeLimitBytes)
{
    /// <summary>Memory is the only cache (no Redis configured): one instance, nothing to miss.</summary>
    public static ConversationCacheLifetimes MemoryOnly { get; } = new(
        OwnerSliding: TimeSpan.FromMinutes(10),
        OwnerAbsolute: TimeSpan.FromHours(1),
        History: TimeSpan.FromMinutes(10),
        Response: TimeSpan.FromHours(1),
        LocalSizeLimitBytes: 64L * 1024 * 1024);

    /// <summary>
    /// The local copy kept beside Redis and read only while Redis is unreachable. No instance can
    /// tell the others about a change during an outage, so interaction data lives briefly there.
    /// </summary>
    public static ConversationCacheLifetimes RedisFallback { get; } = new(
        OwnerSliding: TimeSpan.FromMinutes(1),
        OwnerAbsolute: TimeSpan.FromMinutes(5),
        History: TimeSpan.FromMinutes(1),
        Response: TimeSpan.FromHours(1),
        LocalSizeLimitBytes: 32L * 1024 * 1024);
}
