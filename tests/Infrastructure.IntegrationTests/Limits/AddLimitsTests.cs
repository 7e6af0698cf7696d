using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

public sealed class AddLimitsTests
{
    [Test]
    public async Task AddLimits_WithoutRedis_RegistersMemoryLimiters()
    {
        await using var provider = Build(redisConfiguration: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IGenerationLimiter>(), Is.TypeOf<MemoryGenerationLimiter>());
            Assert.That(provider.GetRequiredService<IAuthAttemptLimiter>(), Is.TypeOf<MemoryAuthAttemptLimiter>());
        }
    }

    [Test]
    public async Task AddLimits_WithRedis_RegistersRedisLimitersOnTheSharedConnection()
    {
        // Nothing listens on port 1: the app must still compose, and the limiters fall back to memory.
        await using var provider = Build(redisConfiguration: "127.0.0.1:1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IGenerationLimiter>(), Is.TypeOf<RedisGenerationLimiter>());
            Assert.That(provider.GetRequiredService<IAuthAttemptLimiter>(), Is.TypeOf<RedisAuthAttemptLimiter>());
        }
    }

    private static ServiceProvider Build(string? redisConfiguration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSettings(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddLimits(services.AddRedisConnection(redisConfiguration));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
