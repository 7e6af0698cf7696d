using Mediator;
using Microsoft.Extensions.Options;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.WebApi.GraphQL.Schema;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// <c>do_conversation</c>: the stream use case read to its terminal event, within <c>Limits:GraphQLConversationSeconds</c>
/// (under common load-balancer idle timeouts). Past the limit the generation is stopped like a stream that hit its
/// own limit (the partial answer is saved and charged) and the client is told to use the stream.
/// </summary>
public sealed class ConversationToCompletion(IMediator mediator, IGenerationCanceller canceller, IOptions<LimitsOptions> limits)
{
    public async Task<ConversationResponse> RunAsync(StreamConversationQuery query, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(limits.Value.GraphQLConversationSeconds);
        using var deadline = new CancellationTokenSource(limit);
        var stop = new DeadlineStop(canceller);
        await using var registration = deadline.Token.Register(stop.Expire);

        MetadataEvent? metadata = null;
        await foreach (var item in mediator.CreateStream(query, cancellationToken).WithCancellation(cancellationToken))
        {
            switch (item.Event)
            {
                case MetadataEvent first:
                    metadata = first;
                    await stop.KnowAsync(first.GenerationId);
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

    /// <summary>The deadline may pass before the generation's id is known (while it starts): whichever comes second stops it.</summary>
    private sealed class DeadlineStop(IGenerationCanceller canceller)
    {
        private readonly Lock _gate = new();
        private Guid? _generationId;
        private bool _expired;
        private volatile bool _stopped;

        public bool Stopped => _stopped;

        public void Expire()
        {
            Guid? generationId;
            lock (_gate)
            {
                _expired = true;
                generationId = _generationId;
            }
            if (generationId is { } id) _ = StopAsync(id);
        }

        public async ValueTask KnowAsync(Guid generationId)
        {
            bool expired;
            lock (_gate)
            {
                _generationId = generationId;
                expired = _expired;
            }
            if (expired) await StopAsync(generationId);
        }

        private async Task StopAsync(Guid generationId)
        {
            // Marked before the stop, so that the terminal event it causes is always read as the time limit.
            _stopped = true;
            if (!await canceller.CancelAsync(generationId, StopReason.TimeLimit, CancellationToken.None)) _stopped = false;
        }
    }
}
