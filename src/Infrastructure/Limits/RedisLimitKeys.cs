using StackExchange.Redis;

namespace StudyGuru.Infrastructure.Limits;

/// <summary>Key names of the limit counters in Redis, all under <c>studyguru:limits:</c>.</summary>
internal static class RedisLimitKeys
{
    // Bump the version when a stored shape changes, so that old counters are simply never read.
    private const string Prefix = "studyguru:limits:v1:";

    // The user id is a hash tag ({...}): both keys of a user land in one cluster slot, as a script needs.
    public static RedisKey Running(Guid userId) => $"{Prefix}{{{userId:N}}}:running";

    public static RedisKey Started(Guid userId) => $"{Prefix}{{{userId:N}}}:started";

    public static RedisKey AuthAttempts(string clientKey) => $"{Prefix}auth:{clientKey}";
}
