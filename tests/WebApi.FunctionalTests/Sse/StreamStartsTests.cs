using System.Runtime.CompilerServices;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using StudyGuru.Application.Common.Settings;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.FunctionalTests.Sse;

/// <summary>
/// How the stream endpoints start their streams: each start in a DI scope of its own that ends at the first
/// event, and at most <c>Streaming:MaxConcurrentStarts</c> starts at once, the others waiting in order.
/// </summary>
public sealed class StreamStartsTests
{
    private List<ScopeProbe> _scopes = null!;
    private Dictionary<int, TaskCompletionSource> _firstEventGates = null!;
    private Mock<IMediator> _mediator = null!;

    [SetUp]
    public void SetUp()
    {
        _scopes = [];
        _firstEventGates = [];
        _mediator = new Mock<IMediator>();
        _mediator.Setup(m => m.CreateStream(It.IsAny<IStreamQuery<int>>(), It.IsAny<CancellationToken>()))
            .Returns((IStreamQuery<int> query, CancellationToken cancellationToken) => EventsOf((Probe)query, cancellationToken));
    }

    [Test]
    public async Task TheStartsScopeEnds_AtTheFirstEvent_WhileTheStreamGoesOn()
    {
        var starts = StartsWithLimit(4);

        await using var stream = starts.Stream(new Probe(1), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await stream.MoveNextAsync(), Is.True);
        Assert.That(stream.Current, Is.EqualTo(10));
        Assert.That(_scopes, Has.Count.EqualTo(1));
        Assert.That(_scopes[0].Disposed, Is.True, "the scope (and its DbContext) is gone once the first event exists");

        var rest = new List<int>();
        while (await stream.MoveNextAsync()) rest.Add(stream.Current);
        Assert.That(rest, Is.EqualTo(new[] { 11, 12 }));
    }

    [Test]
    public async Task AStartBeyondTheLimit_WaitsUntilAnEarlierStartHasItsFirstEvent()
    {
        var starts = StartsWithLimit(1);
        _firstEventGates[1] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var first = starts.Stream(new Probe(1), CancellationToken.None).GetAsyncEnumerator();
        await using var second = starts.Stream(new Probe(2), CancellationToken.None).GetAsyncEnumerator();
        var firstMoved = first.MoveNextAsync().AsTask();
        var secondMoved = second.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => _scopes.Count == 1);
        await Task.Delay(100);

        Assert.That(secondMoved.IsCompleted, Is.False);
        Assert.That(_scopes, Has.Count.EqualTo(1), "the second start has not even got a scope yet");

        _firstEventGates[1].SetResult();
        Assert.That(await firstMoved, Is.True);
        Assert.That(await secondMoved, Is.True);
        Assert.That(second.Current, Is.EqualTo(20));
        Assert.That(_scopes, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AWaitingStartThatIsCancelled_LeavesTheQueue_AndTheTurnIsNotLost()
    {
        var starts = StartsWithLimit(1);
        _firstEventGates[1] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var leaving = new CancellationTokenSource();

        await using var first = starts.Stream(new Probe(1), CancellationToken.None).GetAsyncEnumerator();
        var firstMoved = first.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => _scopes.Count == 1);
        await using var second = starts.Stream(new Probe(2), leaving.Token).GetAsyncEnumerator(leaving.Token);
        var secondMoved = second.MoveNextAsync().AsTask();
        await leaving.CancelAsync();

        Assert.That(async () => await secondMoved, Throws.InstanceOf<OperationCanceledException>());
        _firstEventGates[1].SetResult();
        Assert.That(await firstMoved, Is.True);
        await using var third = starts.Stream(new Probe(3), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await third.MoveNextAsync(), Is.True);
        Assert.That(third.Current, Is.EqualTo(30));
    }

    [Test]
    public async Task ARefusalBeforeTheFirstEvent_ReachesTheCaller_AndFreesTheTurnAndTheScope()
    {
        var starts = StartsWithLimit(1);

        await using var refused = starts.Stream(new Probe(-1), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(async () => await refused.MoveNextAsync(), Throws.InstanceOf<InvalidOperationException>().With.Message.EqualTo("refused"));
        Assert.That(_scopes[0].Disposed, Is.True);

        await using var next = starts.Stream(new Probe(4), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await next.MoveNextAsync(), Is.True);
        Assert.That(next.Current, Is.EqualTo(40));
    }

    [Test]
    public async Task AFollowOfARunningAnswer_IsNotHeldBehindTheStarts_ButStillEndsItsScopeAtTheFirstEvent()
    {
        var starts = StartsWithLimit(1);
        _firstEventGates[1] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var start = starts.Stream(new Probe(1), CancellationToken.None).GetAsyncEnumerator();
        var started = start.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => _scopes.Count == 1);

        await using var follow = starts.Follow(new Probe(5), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await follow.MoveNextAsync(), Is.True, "a follow does not wait for the start's turn");
        Assert.That(follow.Current, Is.EqualTo(50));
        Assert.That(_scopes[1].Disposed, Is.True);
        Assert.That(started.IsCompleted, Is.False);

        _firstEventGates[1].SetResult();
        Assert.That(await started, Is.True);
    }

    private StreamStarts StartsWithLimit(int limit)
    {
        var services = new ServiceCollection()
            .AddOptions()
            .Configure<StreamingOptions>(o => o.MaxConcurrentStarts = limit)
            .AddScoped(_ =>
            {
                var probe = new ScopeProbe();
                lock (_scopes) _scopes.Add(probe);
                return probe;
            })
            .AddScoped(sp =>
            {
                sp.GetRequiredService<ScopeProbe>();
                return _mediator.Object;
            })
            .AddSingleton<StreamStarts>()
            .BuildServiceProvider();
        return services.GetRequiredService<StreamStarts>();
    }

    /// <summary>Events id*10, id*10+1, id*10+2; id -1 refuses before its first event.</summary>
    private async IAsyncEnumerable<int> EventsOf(Probe query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_firstEventGates.TryGetValue(query.Id, out var gate)) await gate.Task.WaitAsync(cancellationToken);
        await Task.Yield();
        if (query.Id < 0) throw new InvalidOperationException("refused");
        for (var i = 0; i < 3; i++) yield return query.Id * 10 + i;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.That(condition(), Is.True);
    }

    public sealed record Probe(int Id) : IStreamQuery<int>;

    private sealed class ScopeProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
