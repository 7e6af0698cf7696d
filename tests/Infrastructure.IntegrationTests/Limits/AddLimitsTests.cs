using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Limits;

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
    public async Task AddLimits_AfterCachingWithRedis_RegistersRedisLimitersOnTheSharedConnection()
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
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [CachingServiceCollectionExtensions.RedisConfigurationKey] = redisConfiguration })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConversationCaching(configuration);
        services.AddLimits(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
