using FluentValidation;
using Mediator;
using StudyGuru.Application.Common.Errors;

namespace StudyGuru.Application.Common.Behaviors;

/// <summary>Runs the message's validators before its handler; failures become a 400 listing every field.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await RequestValidation.ValidateAsync(validators, message, cancellationToken);
        return await next(message, cancellationToken);
    }
}
