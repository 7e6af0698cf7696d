using StudyGuru.TestSupport.Redis;

namespace StudyGuru.Infrastructure.IntegrationTests.Caching;

/// <summary>The test fixture itself: outage tests are only as good as its Stop and Restart.</summary>
public sealed class RedisServerTests
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    [Test]
    public async Task StartAsync_Always_AnswersPingOnLoopback()
    {
        await using var server = await RedisServer.StartAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.IsRunning, Is.True);
            Assert.That(server.Configuration, Is.EqualTo($"127.0.0.1:{server.Port}"));
            Assert.That(await server.PingAsync(PingTimeout), Is.True);
        }
    }

    [Test]
    public async Task Stop_Running_NoLongerAnswers()
    {
        await using var server = await RedisServer.StartAsync();

        server.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.IsRunning, Is.False);
            Assert.That(await server.PingAsync(PingTimeout), Is.False);
        }
    }

    [Test]
    public async Task RestartAsync_AfterStop_AnswersOnSamePort()
    {
        await using var server = await RedisServer.StartAsync();
        var port = server.Port;
        server.Stop();

        await server.RestartAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Port, Is.EqualTo(port));
            Assert.That(await server.PingAsync(PingTimeout), Is.True);
        }
    }

    [Test]
    public async Task StartAsync_TwoServers_UseDifferentPorts()
    {
        await using var first = await RedisServer.StartAsync();
        await using var second = await RedisServer.StartAsync();

        Assert.That(first.Port, Is.Not.EqualTo(second.Port));
    }

    [Test]
    public async Task StartAsync_ExecutableMissing_FailsWithInstallHint()
    {
        var previous = Environment.GetEnvironmentVariable(RedisServer.ExecutableVariable);
        Environment.SetEnvironmentVariable(RedisServer.ExecutableVariable, "/nonexistent/redis-server");
        try
        {
            var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync());

            Assert.That(exception!.Message, Does.Contain("apt-get install -y redis-server"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(RedisServer.ExecutableVariable, previous);
        }
    }
}
