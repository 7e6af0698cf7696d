using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// Protected operations require the bearer scheme; anonymous ones (register, login, health) carry an empty
/// requirement (<c>security: [{}]</c>) so that Swagger UI sends no token and linters see it was meant.
/// </summary>
public sealed class SecurityRequirementTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var needsToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentInfoTransformer.BearerSchemeName, context.Document)] = [] };
        operation.Security = needsToken ? [bearer]
            : metadata.OfType<OptionalBearerAttribute>().Any() ? [bearer, new OpenApiSecurityRequirement()]
            : [new OpenApiSecurityRequirement()];
        return Task.CompletedTask;
    }
}
