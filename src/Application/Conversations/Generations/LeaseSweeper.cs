using Microsoft.Extensions.Logging;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Ends generations whose owner vanished (its process died, so its lease was not renewed): returns the
/// held points, saves the partial answer from the buffer as failed, and gives readers a terminal event.
/// Every instance runs it; the conditional settlement makes sure one of them wins.
/// </summary>
public sealed partial class LeaseSweeper(
    IGenerationRepository generations,
    IGenerationBufferStore buffers,
    IConversationCache cache,
    IGenerationLimiter limiter,
    StreamMetrics metrics,
    TimeProvider time,
    ILogger<LeaseSweeper> logger)
{
    private const int BatchSize = 100;
    private const string LostOwnerSentence = "The server answering this question stopped. Nothing was charged; please ask again.";

    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await generations.FindExpiredLeasesAsync(now.UtcDateTime, BatchSize, cancellationToken);
        var swept = 0;
        foreach (var generation in expired)
        {
            var buffer = await buffers.FindAsync(generation.Id, cancellationToken);
            var partial = buffer is null ? "" : await buffer.GetContentAsync(cancellationToken);
            var settled = await generations.SettleAsync(generation.Expire(partial, LostOwnerSentence, now.UtcDateTime), null, cancellationToken);
            if (settled is not { } balance) continue;

            swept++;
            metrics.SettlementExpired();
            await limiter.ReleaseAsync(generation.UserId, generation.Id, cancellationToken);
            await cache.InvalidateInteractionAsync(generation.InteractionId, cancellationToken);

            // The terminal event takes the next sequence of the shared buffer, which holds every event a client
            // was shown. Without a buffer, the one sequence no event before the end can have is used.
            // Stored as the owner's would be: the outcome and the balance the settlement returned.
            var outcome = new TerminalOutcome.Failed(LostOwnerSentence, ErrorCodes.Internal, now);
            var sequence = buffer is null ? null : await EndBufferAsync(buffer, generation, outcome.ToEvent(balance), cancellationToken);
            generation.RecordTerminalEvent(sequence ?? generation.MaxTokens + 2L, StoredEventCodec.Serialize(outcome), balance);
            await generations.RecordTerminalEventAsync(generation, cancellationToken);
            LogSwept(generation.Id);
        }
        return swept;
    }

    /// <summary>
    /// Appends the terminal event to the shared buffer; the sequence it took, or the one it already had. An owner copies
    /// its events to the shared buffer in runs, and one that died before the first run left it empty: the metadata
    /// stored at the start goes in first, so that the terminal event follows it as in every other generation.
    /// </summary>
    private static async Task<long?> EndBufferAsync(
        IGenerationBuffer buffer, Generation generation, ConversationEvent terminal, CancellationToken cancellationToken)
    {
        if (generation.FirstEventJson is { } metadata && await buffer.GetLastSequenceAsync(cancellationToken) == 0)
            await buffer.AppendAsync(StoredEventCodec.Deserialize(metadata), cancellationToken);
        var sequence = await buffer.AppendAsync(terminal, cancellationToken) ?? await buffer.GetTerminalSequenceAsync(cancellationToken);
        // Only a row from before the metadata was stored can leave it first; it is then kept where no event can be.
        return sequence >= 2 ? sequence : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId}: lease expired; points returned and partial answer saved")]
    private partial void LogSwept(Guid generationId);
}
