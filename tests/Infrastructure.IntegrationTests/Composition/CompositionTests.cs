using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;
using StudyGuru.Application;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Caching;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.Infrastructure.Streaming;

namespace StudyGuru.Infrastructure.IntegrationTests.Composition;

/// <summary>
/// The application and its adapters composed as the WebApi composes them: every service of ours is registered
/// once (never registered in one layer and overridden in another), and every settings class is bound once.
/// </summary>
public sealed class CompositionTests
{
    [TestCase(null)]
    [TestCase("127.0.0.1:1")]
    public void Compose_EveryServiceOfOursIsRegisteredOnce(string? redisConfiguration)
    {
        var services = Compose(redisConfiguration);

        var repeated = services
            .Where(d => d.ServiceType.Assembly.GetName().Name!.StartsWith("StudyGuru.", StringComparison.Ordinal))
            .GroupBy(d => d.ServiceType)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key.FullName)
            .ToList();

        Assert.That(repeated, Is.Empty);
    }

    [TestCase(null)]
    [TestCase("127.0.0.1:1")]
    public void Compose_EverySettingsClassIsBoundOnce(string? redisConfiguration)
    {
        var services = Compose(redisConfiguration);
        // The classes bound to a section of their own (nested ones, such as the offline model's, bind with their parent).
        var settingsTypes = typeof(AiOptions).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(AiOptions).Namespace && t.GetField("Section") is { IsLiteral: true })
            .ToList();

        Assert.That(settingsTypes, Has.Count.GreaterThanOrEqualTo(6));
        foreach (var settings in settingsTypes)
        {
            var bindings = services.Count(d => d.ServiceType == typeof(IConfigureOptions<>).MakeGenericType(settings));
            Assert.That(bindings, Is.EqualTo(1), settings.Name);
        }
    }

    [TestCase(null, typeof(MemoryConversationCache), typeof(MemoryGenerationLimiter), typeof(LocalGenerationSignals))]
    [TestCase("127.0.0.1:1", typeof(RedisConversationCache), typeof(RedisGenerationLimiter), typeof(RedisGenerationSignals))]
    public void Compose_RedisOrMemoryIsDecidedForEveryFeatureAtOnce(string? redisConfiguration, Type cache, Type limiter, Type signals)
    {
        var services = Compose(redisConfiguration);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(services.Single(d => d.ServiceType == typeof(IConversationCache)).ImplementationType, Is.EqualTo(cache));
            Assert.That(services.Single(d => d.ServiceType == typeof(IGenerationLimiter)).ImplementationType, Is.EqualTo(limiter));
            Assert.That(services.Single(d => d.ServiceType == typeof(IGenerationSignals)).ImplementationType, Is.EqualTo(signals));
        }
    }

    private static ServiceCollection Compose(string? redisConfiguration)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Configuration"] = redisConfiguration })
            .Build();
        var environment = new Mock<IHostEnvironment>();
        environment.SetupGet(e => e.EnvironmentName).Returns(Environments.Development);
        var services = new ServiceCollection();
        services.AddApplication(configuration).AddInfrastructure(configuration, environment.Object);
        return services;
    }
}
