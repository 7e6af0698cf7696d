using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;

namespace StudyGuru.Application.UnitTests;

/// <summary>The host's background loops, with the repository and the signals as seams (a one-second lease
/// is renewed every half second).</summary>
public sealed class GenerationHostTests
{
    private Mock<IGenerationRepository> _repository = null!;
    private Mock<IGenerationSignals> _signals = null!;
    private RunningGenerations _running = null!;

    [SetUp]
    public void NewSeams()
    {
        _repository = new Mock<IGenerationRepository>();
        _signals = new Mock<IGenerationSignals>();
        _running = new RunningGenerations();
    }

    private GenerationHost Host(ShutdownSignal? shutdown = null)
    {
        var services = new Mock<IServiceProvider>();
        services.Setup(s => s.GetService(typeof(IGenerationRepository))).Returns(_repository.Object);
        var scope = new Mock<IServiceScope>();
        scope.Setup(s => s.ServiceProvider).Returns(services.Object);
        var scopes = new Mock<IServiceScopeFactory>();
        scopes.Setup(f => f.CreateScope()).Returns(scope.Object);
        var meters = new Mock<IMeterFactory>();
        meters.Setup(f => f.Create(It.IsAny<MeterOptions>())).Returns((MeterOptions o) => new Meter(o));
        var metrics = new StreamMetrics(meters.Object);
        var points = Options.Create(new PointsOptions { LeaseSeconds = 1, SweepSeconds = 3600 });
        var streaming = Options.Create(new StreamingOptions { DisconnectGraceSeconds = 1, DrainSeconds = 0 });
        var runner = new GenerationRunner(scopes.Object, Mock.Of<ITokenCounter>(), Mock.Of<IConversationCache>(), Mock.Of<IGenerationLimiter>(),
            metrics, new GenerationTracing(), TimeProvider.System, Options.Create(new AiOptions()), streaming, NullLogger<GenerationRunner>.Instance);
        return new GenerationHost(runner, _running, scopes.Object, _signals.Object, Mock.Of<IConversationCache>(), shutdown ?? new ShutdownSignal(),
            metrics, TimeProvider.System, points, streaming, NullLogger<GenerationHost>.Instance);
    }

    private RunningGeneration Running(TimeSpan grace)
    {
        var generation = new RunningGeneration(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), grace, TimeProvider.System);
        _running.Add(generation);
        return generation;
    }

    [Test]
    public async Task LeaseRenewal_OneRenewalFails_KeepsRenewingAndTheGenerationRuns()
    {
        var generation = Running(TimeSpan.FromSeconds(30));
        using var reader = generation.AttachReader();
        var calls = 0;
        _repository.Setup(r => r.RenewLeaseAsync(generation.GenerationId, It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("database") : Task.FromResult(true));
        var host = Host();

        await host.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.8));
        await host.StopAsync(CancellationToken.None);

        Assert.That(calls, Is.GreaterThanOrEqualTo(2), "renewal went on after the failure");
        Assert.That(generation.StopReason, Is.EqualTo(StopReason.None));
    }

    [Test]
    public async Task LeaseRenewal_ReservationGone_StopsTheGenerationAsLeaseLost()
    {
        var generation = Running(TimeSpan.FromSeconds(30));
        using var reader = generation.AttachReader();
        _repository.Setup(r => r.RenewLeaseAsync(generation.GenerationId, It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var host = Host();

        await host.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await host.StopAsync(CancellationToken.None);

        Assert.That(generation.StopReason, Is.EqualTo(StopReason.LeaseLost));
    }

    [Test]
    public async Task ReaderWatch_LastReaderLeftPastTheGrace_StopsItUnlessAReaderElsewhereFollows()
    {
        var abandoned = Running(TimeSpan.FromSeconds(1));
        var followedElsewhere = Running(TimeSpan.FromSeconds(1));
        _repository.Setup(r => r.RenewLeaseAsync(It.IsAny<Guid>(), It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _signals.Setup(s => s.HasRemoteReadersAsync(followedElsewhere.GenerationId, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var host = Host();
        await host.StartAsync(CancellationToken.None);

        abandoned.AttachReader().Dispose();
        followedElsewhere.AttachReader().Dispose();
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        var stoppedWithinGrace = abandoned.StopReason;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await host.StopAsync(CancellationToken.None);

        Assert.That(stoppedWithinGrace, Is.EqualTo(StopReason.None), "the grace is kept");
        Assert.That(abandoned.StopReason, Is.EqualTo(StopReason.ClientLeft));
        Assert.That(followedElsewhere.StopReason, Is.EqualTo(StopReason.None));
    }

    [Test]
    public async Task Stopping_RefusesNewWorkThenStopsWhatStillRunsAsShuttingDownAndReleasesReaders()
    {
        var generation = Running(TimeSpan.FromSeconds(30));
        generation.StopToken.Register(() => _running.Remove(generation));
        var shutdown = new ShutdownSignal();
        var host = Host(shutdown);

        await host.StoppingAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(shutdown.IsDraining, Is.True);
        Assert.That(generation.StopReason, Is.EqualTo(StopReason.ShuttingDown));
        Assert.That(shutdown.ReadersMustLeave.IsCancellationRequested, Is.True);
    }
}
