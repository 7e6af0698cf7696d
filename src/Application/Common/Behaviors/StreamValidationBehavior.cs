using FluentValidation;
using Mediator;
using StudyGuru.Application.Common.Streams;

namespace StudyGuru.Application.Common.Behaviors;

/// <summary>
/// Validates a stream query before its first item, so that an invalid request fails with 400 before
/// any byte of the stream is written. The items then pass straight through (no iterator step per item).
/// </summary>
public sealed class StreamValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    public IAsyncEnumerable<TResponse> Handle(
        TMessage message, StreamHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        new DeferredAsyncStream<TResponse>(async token =>
        {
            await RequestValidation.ValidateAsync(validators, message, token);
            return next(message, token);
        }, cancellationToken);
}
