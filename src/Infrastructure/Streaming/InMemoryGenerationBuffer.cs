using System.Text;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Streams;
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
    // The events while the generation runs; null once it ended and every event is visible, when the
    // compact copy below replaces them (docs/performance.md, "The generation core rebuilt").
    private List<GenerationEvent>? _events = [];
    private EndedEvents? _ended;
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
            var events = _events!;
            sequence = events.Count + 1;
            events.Add(new GenerationEvent(GenerationId, sequence, Format, @event));
            if (@event.IsTerminal) _terminalSequence = sequence;
            if (!_publishExplicitly)
            {
                _visible = events.Count;
                signal = TakeWatchedSignal();
            }
            CompactIfEnded();
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
            var visible = (int)Math.Min(sequence, Count);
            if (visible <= _visible) return;
            _visible = visible;
            signal = TakeWatchedSignal();
            CompactIfEnded();
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

    public IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, CancellationToken cancellationToken) =>
        new Reading(this, afterSequence, cancellationToken);

    /// <summary>
    /// Takes every event available after its position in one go (a batch, under the lock once) and hands them out
    /// one by one without awaiting; only when the batch is used up and nothing more is there does it wait for the
    /// next append. Written as an enumerator rather than an <c>async</c> iterator so that an event already taken
    /// costs no state machine step (docs/performance.md, "One token count, cheaper frames").
    /// </summary>
    private sealed class Reading(InMemoryGenerationBuffer buffer, long afterSequence, CancellationToken token) : IAsyncEnumerable<GenerationEvent>
    {
        public IAsyncEnumerator<GenerationEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator(buffer, afterSequence, StreamCancellation.Combine(token, cancellationToken));
    }

    private sealed class Enumerator(InMemoryGenerationBuffer buffer, long afterSequence, StreamCancellation cancellation)
        : IAsyncEnumerator<GenerationEvent>
    {
        private long _next = Math.Max(0, afterSequence);
        private GenerationEvent[] _batch = [];
        private int _index;
        // The signal taken with the last batch: completed once something was appended after it.
        private Task? _waitForMore;
        private bool _ended;

        public GenerationEvent Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_ended) return new ValueTask<bool>(false);
            if (_index < _batch.Length) return new ValueTask<bool>(Take());
            if (_waitForMore is { IsCompleted: false } wait) return WaitAsync(wait);
            return TakeBatch() is { } taken ? new ValueTask<bool>(taken) : WaitAsync(_waitForMore!);
        }

        private bool Take()
        {
            Current = _batch[_index++];
            // A reader's read ends with the terminal event.
            if (Current.Event.IsTerminal) _ended = true;
            return true;
        }

        /// <returns>True with the next event current, false at the end, null when it has to wait for an append.</returns>
        private bool? TakeBatch()
        {
            lock (buffer._gate)
            {
                // A position past the end of an ended generation has nothing left: the read ends with it.
                if (buffer._terminalSequence is { } end && _next >= end)
                {
                    _ended = true;
                    return false;
                }
                _batch = _next < buffer._visible ? new GenerationEvent[buffer._visible - (int)_next] : [];
                if (_batch.Length > 0) buffer.CopyTo((int)_next, _batch);
                _waitForMore = buffer._appended.Task;
                buffer._signalWatched = true;
            }
            _index = 0;
            _next += _batch.Length;
            return _batch.Length > 0 ? Take() : null;
        }

        private async ValueTask<bool> WaitAsync(Task wait)
        {
            while (true)
            {
                await wait.WaitAsync(cancellation.Token).ConfigureAwait(false);
                if (TakeBatch() is { } taken) return taken;
                wait = _waitForMore!;
            }
        }

        public ValueTask DisposeAsync()
        {
            _ended = true;
            cancellation.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult(_terminalSequence);
    }

    public ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult((long)Count);
    }

    public ValueTask<string> GetContentAsync(CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        lock (_gate)
        {
            if (_ended is not null) return ValueTask.FromResult(_ended.Text);
            foreach (var item in _events!)
                if (item.Event is TokenEvent token) builder.Append(token.Content);
        }
        return ValueTask.FromResult(builder.ToString());
    }

    /// <summary>How many events were appended; called under the lock.</summary>
    private int Count => _ended?.Count ?? _events!.Count;

    /// <summary>Copies events from index <paramref name="start"/> into <paramref name="target"/>; called under the lock.</summary>
    private void CopyTo(int start, GenerationEvent[] target)
    {
        if (_ended is null)
        {
            _events!.CopyTo(start, target, 0, target.Length);
            return;
        }
        for (var i = 0; i < target.Length; i++) target[i] = _ended.Event(start + i);
    }

    /// <summary>
    /// Once the generation ended and readers may see all of it, its events are kept for
    /// <c>Streaming:BufferTtlMinutes</c> for replays. Kept as they were, a token event costs ~350 bytes and four
    /// objects (the event, its record, its text, its encoded frame); the compact copy costs ~20 bytes plus its
    /// text and a handful of objects per generation, so ended answers neither fill the heap nor lengthen every
    /// collection. A replay rebuilds equal events (and encodes them again). Called under the lock.
    /// </summary>
    private void CompactIfEnded()
    {
        if (_terminalSequence is null || _ended is not null || _visible < _events!.Count) return;
        _ended = new EndedEvents(GenerationId, Format, _events);
        _events = null;
    }

    /// <summary>An ended generation's events: the tokens' texts in one string, everything else as it was.</summary>
    private sealed class EndedEvents
    {
        private readonly Guid _generationId;
        private readonly GenerationFormat _format;
        // Per event: the end of its text in Text (tokens), its timestamp (tokens), or the event itself (others).
        private readonly int[] _textEnds;
        private readonly long[] _tokenTicks;
        private readonly ConversationEvent?[] _others;

        public EndedEvents(Guid generationId, GenerationFormat format, List<GenerationEvent> events)
        {
            _generationId = generationId;
            _format = format;
            _textEnds = new int[events.Count];
            _tokenTicks = new long[events.Count];
            _others = new ConversationEvent?[events.Count];
            var text = new StringBuilder();
            for (var i = 0; i < events.Count; i++)
            {
                var @event = events[i].Event;
                if (@event is TokenEvent token) text.Append(token.Content);
                // Only tokens stamped in UTC are rebuilt from ticks; anything else is kept as the same instance.
                if (@event is TokenEvent { Timestamp.Offset.Ticks: 0 }) _tokenTicks[i] = @event.Timestamp.UtcTicks;
                else _others[i] = @event;
                _textEnds[i] = text.Length;
            }
            Text = text.ToString();
        }

        /// <summary>The tokens' texts joined: the answer as far as it was streamed.</summary>
        public string Text { get; }

        public int Count => _textEnds.Length;

        public GenerationEvent Event(int index)
        {
            var @event = _others[index];
            if (@event is null)
            {
                var start = index == 0 ? 0 : _textEnds[index - 1];
                @event = new TokenEvent(Text[start.._textEnds[index]], new DateTimeOffset(_tokenTicks[index], TimeSpan.Zero));
            }
            return new GenerationEvent(_generationId, index + 1, _format, @event);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
