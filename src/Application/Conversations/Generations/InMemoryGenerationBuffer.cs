using System.Runtime.CompilerServices;
using System.Text;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// A generation's events in this process. Readers wait on a signal that is replaced at every append,
/// so a reader never polls and never misses an event.
/// </summary>
public sealed class InMemoryGenerationBuffer(Guid generationId, Guid userId, GenerationFormat format) : IGenerationBuffer
{
    private readonly Lock _gate = new();
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
            if (_signalWatched)
            {
                signal = _appended;
                _appended = NewSignal();
                _signalWatched = false;
            }
        }
        signal?.TrySetResult();
        if (@event.IsTerminal) Ended?.Invoke(this);
        return ValueTask.FromResult<long?>(sequence);
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
                batch = next < _events.Count ? new GenerationEvent[_events.Count - (int)next] : [];
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
