namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, shaped so that it describes what is on the wire (not .NET's
/// SSE wrapper types), lints clean with redocly's recommended rules and generates TypeScript types.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddStudyGuruOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<StreamEventSchemasTransformer>();
            options.AddDocumentTransformer<AiSdk.UiMessageChunkSchemasTransformer>();
            options.AddDocumentTransformer<ProblemDetailsSchemaTransformer>();
            options.AddOperationTransformer<SecurityRequirementTransformer>();
            options.AddOperationTransformer<RequestExampleTransformer>();
        });
}
