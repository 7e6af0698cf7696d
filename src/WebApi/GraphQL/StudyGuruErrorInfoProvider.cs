using GraphQL;
using GraphQL.Execution;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// Writes every error with one <c>extensions.code</c> from <see cref="GraphQLErrorCodes"/>: document errors (syntax,
/// validation, variables, operation selection) are <c>BAD_USER_INPUT</c>; anything not mapped is <c>INTERNAL</c>
/// with a neutral message. Exception details never leave the server.
/// </summary>
public sealed class StudyGuruErrorInfoProvider() : ErrorInfoProvider(options =>
{
    options.ExposeExceptionDetails = false;
    options.ExposeData = false;
    options.ExposeCodes = false;
    options.ExposeCode = false;
    options.ExposeExtensions = true;
})
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        var code = executionError switch
        {
            DocumentError => GraphQLErrorCodes.BadUserInput,
            { Code: { } known } when GraphQLErrorCodes.All.Contains(known) => known,
            _ => GraphQLErrorCodes.Internal,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError.Extensions is { } added)
            foreach (var (key, value) in added) extensions.TryAdd(key, value);
        return new ErrorInfo
        {
            Message = code == GraphQLErrorCodes.Internal && executionError.Code != GraphQLErrorCodes.Internal
                ? GraphQLExceptionMap.InternalMessage
                : info.Message,
            Extensions = extensions,
        };
    }
}
