namespace StudyGuru.WebApi.GraphQL;

/// <summary>The closed set of <c>extensions.code</c> values a GraphQL error carries (docs/streaming-api.md, "GraphQL errors").</summary>
public static class GraphQLErrorCodes
{
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string InsufficientPoints = "INSUFFICIENT_POINTS";
    public const string Conflict = "CONFLICT";
    public const string RateLimited = "RATE_LIMITED";
    public const string ModelError = "MODEL_ERROR";
    public const string Cancelled = "CANCELLED";
    public const string Timeout = "TIMEOUT";
    public const string Internal = "INTERNAL";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        BadUserInput, NotFound, InsufficientPoints, Conflict, RateLimited, ModelError, Cancelled, Timeout, Internal,
    };
}
