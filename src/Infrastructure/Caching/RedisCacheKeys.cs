using StackExchange.Redis;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>Key and channel names of the conversation caches in Redis, all under <c>studyguru:</c>.</summary>
internal static class RedisCacheKeys
{
    // Bump the version when a stored shape changes, so that old entries are simply never read.
    private const string Prefix = "studyguru:cache:v1:";

    /// <summary>Carries the id of an interaction whose ownership or history changed.</summary>
    public static readonly RedisChannel InvalidationChannel = RedisChannel.Literal("studyguru:cache:invalidate");

    public static RedisKey Owner(Guid interactionId) => $"{Prefix}owner:{interactionId:N}";

    public static RedisKey History(Guid interactionId) => $"{Prefix}history:{interactionId:N}";

    public static RedisKey Response(string promptHash) => $"{Prefix}response:{promptHash}";
}
