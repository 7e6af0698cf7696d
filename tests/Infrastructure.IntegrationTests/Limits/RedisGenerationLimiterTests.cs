using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Limits;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

/// <summary>The contract against one real Redis server; every test uses its own user ids, so the keys never meet.</summary>
public sealed class RedisGenerationLimiterTests : GenerationLimiterContractTests
{
    private readonly List<LimiterInstance> _instances = [];
    private RedisServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public async Task DisposeInstances()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        _instances.Clear();
    }

    private protected override async Task<IGenerationLimiter> CreateAsync(GenerationLimitRules rules)
    {
        var instance = await LimiterInstance.StartAsync(_server.Configuration, rules, new AuthAttemptRules(10, AuthAttemptRules.DefaultWindow), Clock);
        _instances.Add(instance);
        return instance.Generations;
    }
}
