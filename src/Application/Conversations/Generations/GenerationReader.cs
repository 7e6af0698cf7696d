using System.Runtime.CompilerServices;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Reads a generation's buffer for one client. While it reads, it counts as a reader: of the local
/// generation when this instance owns it, or as a remote presence that the owning instance sees, so
/// that a generation whose last reader left (anywhere) is stopped after the disconnect grace.
/// </summary>
public sealed class GenerationReader(RunningGenerations running, IGenerationSignals signals, ShutdownSignal shutdown)
{
    public async IAsyncEnumerable<GenerationEvent> ReadAsync(
        IGenerationBuffer buffer, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var owned = running.Find(buffer.GenerationId);
        using var localPresence = owned?.AttachReader();
        await using var remotePresence = owned is null ? signals.TrackRemoteReader(buffer.GenerationId) : null;

        // A reader of a generation owned elsewhere is closed at shutdown without a terminal event, so that
        // its client resumes on another instance; an owned generation ends with its own terminal event.
        using var linked = owned is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.ReadersMustLeave)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var events = buffer.ReadAsync(afterSequence, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync()) yield break;
            }
            catch (OperationCanceledException) when (shutdown.ReadersMustLeave.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            yield return events.Current;
        }
    }
}
