using System.Runtime.CompilerServices;
using FluentValidation;
using Mediator;

namespace StudyGuru.Application.Common.Behaviors;

/// <summary>
/// Validates a stream query before its first item, so that an invalid request fails with 400 before
/// any byte of the stream is written.
/// </summary>
public sealed class StreamValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    public async IAsyncEnumerable<TResponse> Handle(
        TMessage message, StreamHandlerDelegate<TMessage, TResponse> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await RequestValidation.ValidateAsync(validators, message, cancellationToken);
        await foreach (var item in next(message, cancellationToken).WithCancellation(cancellationToken))
            yield return item;
    }
}
