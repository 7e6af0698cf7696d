using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using StudyGuru.Infrastructure.Redis;
using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

public sealed class RedisHealthCheckTests
{
    private RedisServer _server = null!;
    private RedisConnection _connection = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await RedisServer.StartAsync();
        _connection = new RedisConnection(_server.Configuration, NullLogger<RedisConnection>.Instance);
        await _connection.ConnectAsync();
    }

    [TearDown]
    public async Task StopServer()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task CheckHealthAsync_ServerRunning_ReturnsHealthy()
    {
        var result = await CheckAsync();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_ServerStopped_ReturnsDegradedNotUnhealthy()
    {
        _server.Stop();

        var result = await CheckAsync();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
    }

    [Test]
    public async Task CheckHealthAsync_ServerRestarted_ReturnsHealthyAgain()
    {
        _server.Stop();
        await _server.RestartAsync();

        var healthy = await Eventually.HoldsAsync(async () => (await CheckAsync()).Status == HealthStatus.Healthy);

        Assert.That(healthy, Is.True);
    }

    [Test]
    public async Task PingAsync_ServerStopped_ReturnsNullWithoutThrowing()
    {
        _server.Stop();

        Assert.That(await _connection.PingAsync(TimeSpan.FromSeconds(1), CancellationToken.None), Is.Null);
    }

    private Task<HealthCheckResult> CheckAsync() =>
        new RedisHealthCheck(_connection).CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("redis", _ => null!, HealthStatus.Degraded, ["ready"]),
        });
}
