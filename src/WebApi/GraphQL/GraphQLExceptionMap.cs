using GraphQL;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Common;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// The one place where the application's exceptions become GraphQL errors: the same closed set that
/// <see cref="Errors.ProblemDetailsExceptionHandler"/> turns into HTTP statuses, with an <c>extensions.code</c> instead.
/// </summary>
public static class GraphQLExceptionMap
{
    public const string InternalMessage = "The request could not be completed. Please try again.";

    public static ExecutionError ToError(Exception exception) => exception switch
    {
        ExecutionError error => error,
        RequestValidationException validation => Error(GraphQLErrorCodes.BadUserInput, validation.Message, ("errors", validation.Errors)),
        DomainRuleException rule => Error(GraphQLErrorCodes.BadUserInput, rule.Message),
        NotFoundException notFound => Error(GraphQLErrorCodes.NotFound, notFound.Message),
        // The token was valid but its account is gone: nothing of it can be found any more.
        UnauthorizedException unauthorized => Error(GraphQLErrorCodes.NotFound, unauthorized.Message),
        InsufficientPointsException points => Error(GraphQLErrorCodes.InsufficientPoints, points.Message,
            ("current_points", points.CurrentPoints), ("required_points", points.RequiredPoints)),
        ConflictException { GenerationId: { } generationId } conflict => Error(GraphQLErrorCodes.Conflict, conflict.Message, ("generation_id", generationId)),
        ConflictException conflict => Error(GraphQLErrorCodes.Conflict, conflict.Message),
        RateLimitedException limited => Error(GraphQLErrorCodes.RateLimited, limited.Message,
            ("retry_after_seconds", Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)))),
        ConversationFailedException { GenerationId: { } generationId } failed => Error(failed.Code, failed.Message, ("generation_id", generationId)),
        ConversationFailedException failed => Error(failed.Code, failed.Message),
        _ => Error(GraphQLErrorCodes.Internal, InternalMessage),
    };

    private static ExecutionError Error(string code, string message, params (string Key, object? Value)[] extensions)
    {
        var error = new ExecutionError(message) { Code = code };
        if (extensions.Length > 0)
        {
            error.Extensions ??= new Dictionary<string, object?>();
            foreach (var (key, value) in extensions) error.Extensions[key] = value;
        }
        return error;
    }
}
