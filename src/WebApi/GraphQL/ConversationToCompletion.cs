using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.WebApi.GraphQL.Schema;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// <c>do_conversation</c>: the stream use case read to its terminal event, within <c>Limits:GraphQLConversationSeconds</c>
/// (under common load-balancer idle timeouts). Past the limit the generation is stopped like a stream that hit its
/// own limit (the partial answer is saved and charged) and the client is told to use the stream.
/// </summary>
public sealed class ConversationToCompletion(StreamStarts starts, IGenerationCanceller canceller, IOptions<LimitsOptions> limits)
{
    public async Task<ConversationResponse> RunAsync(StreamConversationQuery query, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(limits.Value.GraphQLConversationSeconds);
        await using var stop = new DeadlineStop(canceller, limit);

        MetadataEvent? metadata = null;
        await foreach (var item in starts.Stream(query, cancellationToken).WithCancellation(cancellationToken))
        {
            switch (item.Event)
            {
                case MetadataEvent first:
                    metadata = first;
                    stop.Know(first.GenerationId);
                    break;
                // An answer that ended on its own just as the limit passed is still a whole answer.
                case CompleteEvent complete when !stop.Stopped || complete.FinishReason != FinishReasons.Cancelled:
                    return new ConversationResponse(true, null, metadata!.InteractionId, metadata.IsNewInteraction,
                        complete.Content, complete.TokensUsed, complete.PointsCost, complete.FinishReason);
                case ErrorEvent error when !stop.Stopped:
                    throw new ConversationFailedException(CodeOf(error.Code), error.Error, item.GenerationId);
                case { IsTerminal: true }:
                    throw new ConversationFailedException(GraphQLErrorCodes.Timeout,
                        $"The answer took longer than {limit.TotalSeconds:0} seconds and was stopped (what was produced is saved and charged). " +
                        "Use the stream endpoint POST /api/stream/stream-conversation for long answers.",
                        item.GenerationId);
            }
        }
        throw new InvalidOperationException("A generation stream ended without a terminal event.");
    }

    private static string CodeOf(string errorCode) => errorCode switch
    {
        ErrorCodes.ModelUnavailable or ErrorCodes.ModelError => GraphQLErrorCodes.ModelError,
        ErrorCodes.Cancelled or ErrorCodes.ShuttingDown => GraphQLErrorCodes.Cancelled,
        ErrorCodes.Timeout => GraphQLErrorCodes.Timeout,
        _ => GraphQLErrorCodes.Internal,
    };

    /// <summary>
    /// Stops the generation once the limit has passed and its id is known (the deadline may pass while it
    /// starts). The watch is owned by the request: it is cancelled and awaited when the request ends.
    /// </summary>
    private sealed class DeadlineStop : IAsyncDisposable
    {
        private readonly IGenerationCanceller _canceller;
        private readonly TimeSpan _limit;
        private readonly CancellationTokenSource _done = new();
        private readonly TaskCompletionSource<Guid> _known = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _watching;
        private volatile bool _stopped;

        public DeadlineStop(IGenerationCanceller canceller, TimeSpan limit)
        {
            _canceller = canceller;
            _limit = limit;
            _watching = WatchAsync();
        }

        public bool Stopped => _stopped;

        public void Know(Guid generationId) => _known.TrySetResult(generationId);

        private async Task WatchAsync()
        {
            try
            {
                await Task.Delay(_limit, _done.Token);
                var generationId = await _known.Task.WaitAsync(_done.Token);
                // Marked before the stop, so that the terminal event it causes is always read as the time limit.
                _stopped = true;
                if (!await _canceller.CancelAsync(generationId, StopReason.TimeLimit, CancellationToken.None)) _stopped = false;
            }
            catch (OperationCanceledException) when (_done.IsCancellationRequested)
            {
                // The answer ended first.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _done.CancelAsync();
            await _watching;
            _done.Dispose();
        }
    }
}
