using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Streams;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Reads a generation's buffer for one client. While it reads, it counts as a reader: of the local
/// generation when this instance owns it, or as a remote presence that the owning instance sees, so
/// that a generation whose last reader left (anywhere) is stopped after the disconnect grace.
/// Written as an enumerator of its own rather than an <c>async</c> iterator: an event that is already in the
/// log passes through without a state machine step (docs/performance.md, "One token count, cheaper frames").
/// </summary>
public sealed class GenerationReader(RunningGenerations running, IGenerationSignals signals, ShutdownSignal shutdown)
{
    private readonly RunningGenerations _running = running;
    private readonly IGenerationSignals _signals = signals;
    private readonly ShutdownSignal _shutdown = shutdown;

    public IAsyncEnumerable<GenerationEvent> ReadAsync(IGenerationBuffer buffer, long afterSequence, CancellationToken cancellationToken) =>
        new Reading(this, buffer, afterSequence, cancellationToken);

    private sealed class Reading(GenerationReader reader, IGenerationBuffer buffer, long afterSequence, CancellationToken token)
        : IAsyncEnumerable<GenerationEvent>
    {
        public IAsyncEnumerator<GenerationEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator(reader, buffer, afterSequence, StreamCancellation.Combine(token, cancellationToken));
    }

    private sealed class Enumerator(GenerationReader reader, IGenerationBuffer buffer, long afterSequence, StreamCancellation cancellation)
        : IAsyncEnumerator<GenerationEvent>
    {
        private IDisposable? _localPresence;
        private IAsyncDisposable? _remotePresence;
        private CancellationTokenSource? _linked;
        private IAsyncEnumerator<GenerationEvent>? _events;
        private bool _ended;

        public GenerationEvent Current => _events!.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_ended) return new ValueTask<bool>(false);
            if (_events is null) Start();
            var next = _events!.MoveNextAsync();
            return next.IsCompletedSuccessfully ? new ValueTask<bool>(Ended(next.Result)) : AwaitAsync(next);
        }

        /// <summary>Counts as a reader from the first read on, as long as it reads.</summary>
        private void Start()
        {
            var owned = reader._running.Find(buffer.GenerationId);
            _localPresence = owned?.AttachReader();
            _remotePresence = owned is null ? reader._signals.TrackRemoteReader(buffer.GenerationId) : null;
            // A reader of a generation owned elsewhere is closed at shutdown without a terminal event, so that
            // its client resumes on another instance; an owned generation ends with its own terminal event, and its
            // reader needs no source of its own (one less for every open stream).
            _linked = owned is null
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, reader._shutdown.ReadersMustLeave)
                : null;
            var token = _linked?.Token ?? cancellation.Token;
            _events = buffer.ReadAsync(afterSequence, token).GetAsyncEnumerator(token);
        }

        private async ValueTask<bool> AwaitAsync(ValueTask<bool> next)
        {
            try
            {
                return Ended(await next);
            }
            catch (OperationCanceledException) when (reader._shutdown.ReadersMustLeave.IsCancellationRequested && !cancellation.Token.IsCancellationRequested)
            {
                return Ended(false);
            }
        }

        private bool Ended(bool hasNext)
        {
            if (!hasNext) _ended = true;
            return hasNext;
        }

        public async ValueTask DisposeAsync()
        {
            _ended = true;
            try
            {
                if (_events is not null) await _events.DisposeAsync();
            }
            finally
            {
                _linked?.Dispose();
                try
                {
                    if (_remotePresence is not null) await _remotePresence.DisposeAsync();
                }
                finally
                {
                    _localPresence?.Dispose();
                    cancellation.Dispose();
                }
            }
        }
    }
}
