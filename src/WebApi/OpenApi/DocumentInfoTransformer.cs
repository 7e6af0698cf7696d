using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StudyGuru.WebApi.OpenApi;

/// <summary>Title, license, tag descriptions, the bearer scheme, and server URLs without a trailing slash.</summary>
public sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    public const string BearerSchemeName = "Bearer";

    // Tags used by controllers; a tag without a description is a lint warning and a blank section in Swagger UI.
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Accounts"] = "Sign-up, sign-in (both return a bearer token), the caller's balance and points ledger.",
        ["Admin"] = "Operators' tools; need a token with the role `admin`.",
        ["Streaming"] = "The tutor's answers as Server-Sent Events, resume of a running answer, and liveness.",
        ["Interactions"] = "Threads (interactions) and their messages.",
        ["Media"] = "Image uploads that questions can attach.",
        ["GraphQL"] = "The GraphQL endpoint that mirrors the REST API.",
        ["AI SDK chat"] = "The Vercel AI SDK's chat protocol: point useChat's DefaultChatTransport at /api/chat.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "StudyGuru API",
            Version = "1.0.0",
            Description = "REST + Server-Sent Events API of the StudyGuru AI tutor. Sign up or log in to get a bearer token "
                + "(30 signup points), then ask questions on `POST /api/stream/stream-conversation`. "
                + "Every error is an RFC 9457 problem (`application/problem+json`) with snake_case keys.",
            License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://studyguru.example.com/terms") },
        };

        foreach (var server in document.Servers ?? [])
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The `access_token` from register or login. The GET stream endpoints also accept it as `?access_token=` (EventSource cannot send headers).",
        };

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description ??= description;
        return Task.CompletedTask;
    }
}
