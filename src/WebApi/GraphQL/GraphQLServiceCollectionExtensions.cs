using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using StudyGuru.WebApi.GraphQL.Schema;

namespace StudyGuru.WebApi.GraphQL;

public static partial class GraphQLServiceCollectionExtensions
{
    public static IServiceCollection AddStudyGuruGraphQL(this IServiceCollection services)
    {
        services.AddGraphQL(graphQL => graphQL
            .AddSchema<StudyGuruSchema>()
            .AddGraphTypes(typeof(StudyGuruSchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<StudyGuruErrorInfoProvider>()
            // Query fields resolve in parallel by default, but resolvers share the request's scoped DbContext.
            .AddExecutionStrategy(SerialExecutionStrategy.Instance, OperationType.Query)
            .AddUnhandledExceptionHandler(MapUnhandledException));
        services.AddScoped<ConversationToCompletion>();
        return services;
    }

    private static void MapUnhandledException(UnhandledExceptionContext context)
    {
        var error = GraphQLExceptionMap.ToError(context.OriginalException);
        if (error.Code == GraphQLErrorCodes.Internal && context.OriginalException is not ConversationFailedException
            && context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>() is { } loggers)
        {
            LogUnhandled(loggers.CreateLogger("StudyGuru.WebApi.GraphQL"), context.OriginalException.GetType().Name,
                context.FieldContext?.FieldDefinition.Name, context.OriginalException);
        }
        context.Exception = error;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} in GraphQL field {Field}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string? field, Exception exception);
}
