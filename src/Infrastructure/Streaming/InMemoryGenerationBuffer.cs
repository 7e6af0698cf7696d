using System.Text;
using System.Threading.Tasks.Sources;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Streams;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Infrastructure.Streaming;

/// <summary>
/// A generation's events in this process. A reader with nothing left to take waits in the log's list of waiters and
/// is woken, with its next batch already taken, by the append or publish that gives it more: it never polls and
/// never misses an event. With <paramref name="publishExplicitly"/>, readers
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
    // While the generation runs, every event is in the compact copy below; the events themselves (with their encoded
    // bytes) are kept only from the position of the slowest attached reader on: those before it were written by
    // every reader there is, and a later reader of them gets equal events rebuilt from the compact copy. So an event
    // lives for as long as its readers take to write it and dies young, instead of ~350 bytes and four objects per
    // token surviving into gen2 for the whole answer (docs/performance.md, "Memory per open stream (sixth round)").
    // Null once the generation ended and every event is visible (the compact copy then stands alone).
    private List<GenerationEvent>? _events = [];
    // The index of _events[0] among all events: the count of events released.
    private int _released;
    // The readers that took a batch and were not disposed: their positions decide what may be released.
    private readonly List<Enumerator> _readers = new(1);
    // The compact copy, written as events are appended (while each is still in the cache) rather than in a pass
    // over the whole answer at its end; null once the generation ended and it was built.
    private EndedEvents.Builder? _compact = new();
    private EndedEvents? _ended;
    // The readers waiting for more (with a fast model and a slower client, most appends find none: the reader is
    // busy writing its last batch).
    private readonly List<Enumerator> _waiters = new(1);
    private long? _terminalSequence;

    public Guid GenerationId { get; } = generationId;
    public Guid UserId { get; } = userId;
    public GenerationFormat Format { get; } = format;

    /// <summary>Raised once, after the terminal event was appended.</summary>
    public event Action<InMemoryGenerationBuffer>? Ended;

    public ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken)
    {
        long sequence;
        lock (_gate)
        {
            if (_terminalSequence is not null) return ValueTask.FromResult<long?>(null);
            sequence = _released + _events!.Count + 1;
            _events.Add(new GenerationEvent(GenerationId, sequence, Format, @event));
            _compact!.Add(@event);
            if (@event.IsTerminal) _terminalSequence = sequence;
            if (!_publishExplicitly)
            {
                _visible = (int)sequence;
                WakeWaiters();
            }
            CompactIfEnded();
        }
        if (@event.IsTerminal) Ended?.Invoke(this);
        return ValueTask.FromResult<long?>(sequence);
    }

    /// <summary>Lets readers see every event up to <paramref name="sequence"/>.</summary>
    public void Publish(long sequence)
    {
        lock (_gate)
        {
            var visible = (int)Math.Min(sequence, Count);
            if (visible <= _visible) return;
            _visible = visible;
            WakeWaiters();
            CompactIfEnded();
        }
    }

    /// <summary>From now on readers see every event as soon as it is appended (the shared copy was given up).</summary>
    public void PublishEverything()
    {
        lock (_gate) _publishExplicitly = false;
        Publish(long.MaxValue);
    }

    /// <summary>
    /// Hands each waiting reader that can go on its next batch and wakes it (its continuation runs on the thread pool,
    /// not here). A reader whose position is ahead of everything visible (a resume from a later id) keeps waiting.
    /// Called under the lock.
    /// </summary>
    private void WakeWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.TakeBatchLocked() is not { } taken) continue;
            _waiters.RemoveAt(i);
            waiter.Wake(taken);
        }
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
        : IAsyncEnumerator<GenerationEvent>, IValueTaskSource<bool>
    {
        /// <summary>A batch array larger than this (a replay of a long answer) is grown only as far as needed.</summary>
        private const int MaxKeptBatch = 256;

        private long _next = Math.Max(0, afterSequence);
        // Reused from batch to batch (grown when needed): a reader that keeps up takes a few events at a time.
        private GenerationEvent[] _batch = [];
        private int _batchCount;
        private int _index;
        private bool _ended;
        // Whether this reader is among the buffer's readers (from its first batch until it is disposed).
        private bool _attached;
        // What a wait returns, reused for every wait: no task, no cancellation promise and no state machine per wake
        // (docs/performance.md, "CPU per token event (sixth round)"). Set under the buffer's lock, by the append or
        // publish that took this reader's next batch, or by the cancellation.
        private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
        // Whether this reader is in the buffer's waiters; changed under the buffer's lock.
        private bool _waiting;
        // One registration for all of this reader's waits, made at its first wait.
        private CancellationTokenRegistration _cancelled;
        private bool _watchingCancellation;

        /// <summary>The position after the last event taken; read under the buffer's lock.</summary>
        public long Next => _next;

        public GenerationEvent Current { get; private set; } = null!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_ended) return new ValueTask<bool>(false);
            if (_index < _batchCount) return new ValueTask<bool>(Take());
            return TakeBatchOrWait();
        }

        private bool Take()
        {
            Current = _batch[_index];
            // The slot is cleared so that the reused array does not keep events alive after they were handed out.
            _batch[_index++] = null!;
            // A reader's read ends with the terminal event.
            if (Current.Event.IsTerminal) _ended = true;
            return true;
        }

        private ValueTask<bool> TakeBatchOrWait()
        {
            var token = cancellation.Token;
            if (!_watchingCancellation && token.CanBeCanceled)
            {
                _watchingCancellation = true;
                // Outside the lock: a token cancelled already calls back at once, which takes the lock.
                _cancelled = token.UnsafeRegister(static state => ((Enumerator)state!).OnCancelled(), this);
            }
            lock (buffer._gate)
            {
                if (TakeBatchLocked() is { } taken) return new ValueTask<bool>(taken);
                // Checked under the lock: a cancellation after this finds the reader among the waiters.
                if (token.IsCancellationRequested) return ValueTask.FromCanceled<bool>(token);
                _wake.Reset();
                _waiting = true;
                buffer._waiters.Add(this);
                return new ValueTask<bool>(this, _wake.Version);
            }
        }

        /// <summary>Called under the buffer's lock by the append or publish that took this reader's batch.</summary>
        public void Wake(bool taken)
        {
            _waiting = false;
            _wake.SetResult(taken);
        }

        private void OnCancelled()
        {
            lock (buffer._gate)
            {
                if (!_waiting) return;
                _waiting = false;
                buffer._waiters.Remove(this);
                _wake.SetException(new OperationCanceledException(cancellation.Token));
            }
        }

        /// <summary>
        /// Takes every event available after this reader's position into its batch; called under the buffer's lock.
        /// </summary>
        /// <returns>True with the next event current, false at the end, null when it has to wait for an append.</returns>
        public bool? TakeBatchLocked()
        {
            // A position past the end of an ended generation has nothing left: the read ends with it.
            if (buffer._terminalSequence is { } end && _next >= end)
            {
                _ended = true;
                return false;
            }
            _batchCount = _next < buffer._visible ? buffer._visible - (int)_next : 0;
            if (_batchCount > _batch.Length) _batch = new GenerationEvent[Math.Max(_batchCount, Math.Clamp(2 * _batch.Length, 16, MaxKeptBatch))];
            if (_batchCount > 0) buffer.CopyTo((int)_next, _batch, _batchCount);
            _next += _batchCount;
            if (!_attached)
            {
                buffer._readers.Add(this);
                _attached = true;
            }
            buffer.ReleaseRead();
            _index = 0;
            return _batchCount > 0 ? Take() : null;
        }

        bool IValueTaskSource<bool>.GetResult(short token) => _wake.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wake.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _wake.OnCompleted(continuation, state, token, flags);

        public ValueTask DisposeAsync()
        {
            _ended = true;
            _cancelled.Dispose();
            lock (buffer._gate)
            {
                if (_waiting)
                {
                    buffer._waiters.Remove(this);
                    _waiting = false;
                }
                if (_attached)
                {
                    buffer._readers.Remove(this);
                    _attached = false;
                    buffer.ReleaseRead();
                }
            }
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
        lock (_gate) return ValueTask.FromResult(_ended?.Text ?? _compact!.Text);
    }

    /// <summary>How many events were appended; called under the lock.</summary>
    private int Count => _ended?.Count ?? _released + _events!.Count;

    /// <summary>How many events are still kept as they were (the rest only in the compact copy); for tests.</summary>
    internal int KeptEventCount
    {
        get { lock (_gate) return _events?.Count ?? 0; }
    }

    /// <summary>Copies <paramref name="count"/> events from index <paramref name="start"/> into <paramref name="target"/>; called under the lock.</summary>
    private void CopyTo(int start, GenerationEvent[] target, int count)
    {
        if (_ended is not null)
        {
            for (var i = 0; i < count; i++) target[i] = _ended.Event(start + i);
            return;
        }
        // Events before the kept ones were released: a reader that is behind every other gets them rebuilt.
        var i0 = 0;
        for (; i0 < count && start + i0 < _released; i0++) target[i0] = _compact!.Event(GenerationId, Format, start + i0);
        if (i0 < count) _events!.CopyTo(start + i0 - _released, target, i0, count - i0);
    }

    /// <summary>
    /// Lets go of the events every attached reader has taken. With no reader attached nothing is released: a client
    /// that is about to attach (or to come back within the disconnect grace) finds the events as they were, with
    /// their bytes already encoded. Called under the lock.
    /// </summary>
    private void ReleaseRead()
    {
        if (_events is null || _readers.Count == 0) return;
        var slowest = long.MaxValue;
        foreach (var reader in _readers) slowest = Math.Min(slowest, reader.Next);
        var releasable = (int)Math.Min(slowest - _released, _events.Count);
        if (releasable <= 0) return;
        _events.RemoveRange(0, releasable);
        _released += releasable;
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
        if (_terminalSequence is null || _ended is not null || _visible < Count) return;
        _ended = _compact!.Build(GenerationId, Format);
        _events = null;
        _compact = null;
    }

    /// <summary>An ended generation's events: the tokens' texts in one string, everything else as it was.</summary>
    private sealed class EndedEvents
    {
        private readonly Guid _generationId;
        private readonly GenerationFormat _format;
        // Per event: the end of its text in Text and (tokens) its timestamp.
        private readonly int[] _textEnds;
        private readonly long[] _tokenTicks;
        // The few events kept as they were (the first, the terminal one), by index, in order.
        private readonly int[] _otherIndexes;
        private readonly ConversationEvent[] _others;

        private EndedEvents(Guid generationId, GenerationFormat format, string text, int[] textEnds, long[] tokenTicks,
            int[] otherIndexes, ConversationEvent[] others)
        {
            _generationId = generationId;
            _format = format;
            Text = text;
            _textEnds = textEnds;
            _tokenTicks = tokenTicks;
            _otherIndexes = otherIndexes;
            _others = others;
        }

        /// <summary>The tokens' texts joined: the answer as far as it was streamed.</summary>
        public string Text { get; }

        public int Count => _textEnds.Length;

        public GenerationEvent Event(int index)
        {
            var other = Array.BinarySearch(_otherIndexes, index);
            ConversationEvent @event;
            if (other >= 0)
            {
                @event = _others[other];
            }
            else
            {
                var start = index == 0 ? 0 : _textEnds[index - 1];
                @event = new TokenEvent(Text[start.._textEnds[index]], new DateTimeOffset(_tokenTicks[index], TimeSpan.Zero));
            }
            return new GenerationEvent(_generationId, index + 1, _format, @event);
        }


        /// <summary>Collects the compact form event by event while the generation runs; called under the log's lock.</summary>
        public sealed class Builder
        {
            private readonly StringBuilder _text = new();
            private int[] _textEnds = new int[16];
            private long[] _tokenTicks = new long[16];
            private readonly List<int> _otherIndexes = [];
            private readonly List<ConversationEvent> _others = [];
            private int _count;

            public void Add(ConversationEvent @event)
            {
                if (_count == _textEnds.Length)
                {
                    Array.Resize(ref _textEnds, _count * 2);
                    Array.Resize(ref _tokenTicks, _count * 2);
                }
                // Only tokens stamped in UTC are rebuilt from ticks; anything else is kept as the same instance.
                if (@event is TokenEvent { Timestamp.Offset.Ticks: 0 } token)
                {
                    _text.Append(token.Content);
                    _tokenTicks[_count] = token.Timestamp.UtcTicks;
                }
                else
                {
                    if (@event is TokenEvent other) _text.Append(other.Content);
                    _otherIndexes.Add(_count);
                    _others.Add(@event);
                }
                _textEnds[_count++] = _text.Length;
            }

            /// <summary>The tokens' texts so far.</summary>
            public string Text => _text.ToString();

            /// <summary>An event of the running generation rebuilt, equal to the one appended (for a reader behind every
            /// other, after the event itself was released).</summary>
            public GenerationEvent Event(Guid generationId, GenerationFormat format, int index)
            {
                var other = _otherIndexes.BinarySearch(index);
                ConversationEvent @event;
                if (other >= 0)
                {
                    @event = _others[other];
                }
                else
                {
                    var start = index == 0 ? 0 : _textEnds[index - 1];
                    @event = new TokenEvent(_text.ToString(start, _textEnds[index] - start), new DateTimeOffset(_tokenTicks[index], TimeSpan.Zero));
                }
                return new GenerationEvent(generationId, index + 1, format, @event);
            }

            public EndedEvents Build(Guid generationId, GenerationFormat format) =>
                new(generationId, format, _text.ToString(), _textEnds[.._count], _tokenTicks[.._count], [.. _otherIndexes], [.. _others]);
        }
    }
}
