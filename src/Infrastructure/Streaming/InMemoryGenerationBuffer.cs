using System.Runtime.CompilerServices;
using System.Text;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// A generation's events in this process. Readers wait on a signal that is replaced at every append,
/// so a reader never polls and never misses an event. With <paramref name="publishExplicitly"/>, readers
/// see an event only once <see cref="Publish"/> says it is stored elsewhere too (the shared Redis copy),
/// so that no client ever holds an event another instance could not serve.
/// </summary>
public sealed class InMemoryGenerationBuffer(Guid generationId, Guid userId, GenerationFormat format, bool publishExplicitly = false)
    : IGenerationBuffer
{
    private readonly Lock _gate = new();
    private bool _publishExplicitly = publishExplicitly;
    // How many events readers may see.
    private int _visible;
    private readonly List<GenerationEvent> _events = [];
    private TaskCompletionSource _appended = NewSignal();
    // Whether a reader holds the current signal: when none does, an append need not complete and replace
    // it (with a fast model and a slower client, most appends happen while the reader is busy writing).
    private bool _signalWatched;
    private long? _terminalSequence;

    public Guid GenerationId { get; } = generationId;
    public Guid UserId { get; } = userId;
    public GenerationFormat Format { get; } = format;

    /// <summary>Raised once, after the terminal event was appended.</summary>
    public event Action<InMemoryGenerationBuffer>? Ended;

    public ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        TaskCompletionSource? signal = null;
        long sequence;
        lock (_gate)
        {
            if (_terminalSequence is not null) return ValueTask.FromResult<long?>(null);
            sequence = _events.Count + 1;
            _events.Add(new GenerationEvent(GenerationId, sequence, Format, @event));
            if (@event.IsTerminal) _terminalSequence = sequence;
            if (!_publishExplicitly)
            {
                _visible = _events.Count;
                signal = TakeWatchedSignal();
            }
        }
        signal?.TrySetResult();
        if (@event.IsTerminal) Ended?.Invoke(this);
        return ValueTask.FromResult<long?>(sequence);
    }

    /// <summary>Lets readers see every event up to <paramref name="sequence"/>.</summary>
    public void Publish(long sequence)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            var visible = (int)Math.Min(sequence, _events.Count);
            if (visible <= _visible) return;
            _visible = visible;
            signal = TakeWatchedSignal();
        }
        signal?.TrySetResult();
    }

    /// <summary>From now on readers see every event as soon as it is appended (the shared copy was given up).</summary>
    public void PublishEverything()
    {
        lock (_gate) _publishExplicitly = false;
        Publish(long.MaxValue);
    }

    /// <summary>The current signal when a reader waits on it (it is then replaced); called under the lock.</summary>
    private TaskCompletionSource? TakeWatchedSignal()
    {
        if (!_signalWatched) return null;
        var signal = _appended;
        _appended = NewSignal();
        _signalWatched = false;
        return signal;
    }

    public async IAsyncEnumerable<GenerationEvent> ReadAsync(
        long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(0, afterSequence);
        while (true)
        {
            Task waitForMore;
            GenerationEvent[] batch;
            lock (_gate)
            {
                // A position past the end of an ended generation has nothing left: the read ends with it.
                if (_terminalSequence is { } end && next >= end) yield break;
                batch = next < _visible ? new GenerationEvent[_visible - (int)next] : [];
                if (batch.Length > 0) _events.CopyTo((int)next, batch, 0, batch.Length);
                waitForMore = _appended.Task;
                _signalWatched = true;
            }
            foreach (var item in batch)
            {
                yield return item;
                if (item.Event.IsTerminal) yield break;
            }
            next += batch.Length;
            await waitForMore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult(_terminalSequence);
    }

    public ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult((long)_events.Count);
    }

    public ValueTask<string> GetContentAsync(CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        lock (_gate)
        {
            foreach (var item in _events)
                if (item.Event is TokenEvent token) builder.Append(token.Content);
        }
        return ValueTask.FromResult(builder.ToString());
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
