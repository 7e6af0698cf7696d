using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

public sealed class AddConversationCachingTests
{
    [Test]
    public async Task AddConversationCaching_NoRedisConfiguration_RegistersMemoryCacheOnly()
    {
        await using var provider = Build(redisConfiguration: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IConversationCache>(), Is.TypeOf<MemoryConversationCache>());
            Assert.That(provider.GetService<RedisConnection>(), Is.Null);
            Assert.That(HealthCheckNames(provider), Does.Not.Contain("redis"));
        }
    }

    [Test]
    public async Task AddConversationCaching_RedisConfigured_RegistersRedisCacheConnectionAndReadinessCheck()
    {
        // Nothing listens on port 1: the app must still compose and start.
        await using var provider = Build(redisConfiguration: "127.0.0.1:1");

        var connection = provider.GetRequiredService<RedisConnection>();
        var registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Single(r => r.Name == "redis");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IConversationCache>(), Is.TypeOf<RedisConversationCache>());
            Assert.That(provider.GetRequiredService<RedisConnection>(), Is.SameAs(connection), "one connection per instance");
            Assert.That(registration.Tags, Does.Contain("ready"));
            Assert.That(registration.FailureStatus, Is.EqualTo(HealthStatus.Degraded));
        }
    }

    [Test]
    public async Task IConversationCache_RedisConfiguredButDown_AnswersMisses()
    {
        await using var provider = Build(redisConfiguration: "127.0.0.1:1");
        var cache = provider.GetRequiredService<IConversationCache>();

        Assert.That(await cache.GetOwnerAsync(Guid.NewGuid(), CancellationToken.None), Is.Null);
    }

    private static ServiceProvider Build(string? redisConfiguration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConversationCaching(services.AddRedisConnection(redisConfiguration));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static IEnumerable<string> HealthCheckNames(IServiceProvider provider) =>
        provider.GetService<IOptions<HealthCheckServiceOptions>>()?.Value.Registrations.Select(r => r.Name) ?? [];
}
