using Microsoft.Extensions.Logging.Abstractions;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>What one app instance holds for the limits: its own Redis connection and its own limiters.</summary>
internal sealed class LimiterInstance : IAsyncDisposable
{
    private LimiterInstance(RedisConnection connection, RedisGenerationLimiter generations, RedisAuthAttemptLimiter attempts)
    {
        Connection = connection;
        Generations = generations;
        Attempts = attempts;
    }

    public RedisConnection Connection { get; }

    public RedisGenerationLimiter Generations { get; }

    public RedisAuthAttemptLimiter Attempts { get; }

    /// <summary>Creates an instance and waits until its connection is usable.</summary>
    public static async Task<LimiterInstance> StartAsync(
        string configuration, GenerationLimitRules generationRules, AuthAttemptRules attemptRules, TimeProvider clock)
    {
        var connection = new RedisConnection(configuration, NullLogger<RedisConnection>.Instance);
        await connection.ConnectAsync();
        Assert.That(connection.TryGetDatabase(), Is.Not.Null, "Redis should be usable once connected");
        return new LimiterInstance(
            connection,
            new RedisGenerationLimiter(connection, generationRules, clock),
            new RedisAuthAttemptLimiter(connection, attemptRules, clock));
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
