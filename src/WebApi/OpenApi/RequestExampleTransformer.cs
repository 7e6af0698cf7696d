using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// Gives every JSON request body its example (Swagger UI pre-fills it) and keeps only <c>application/json</c>:
/// the generated <c>application/*+json</c> twin would need its own example and no client sends it.
/// </summary>
public sealed class RequestExampleTransformer : IOpenApiOperationTransformer
{
    private const string JsonMediaType = "application/json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is not { } content) return Task.CompletedTask;
        if (content.TryGetValue("multipart/form-data", out var form))
        {
            // A file cannot be shown inline; the example names the parts and what they take.
            form.Example = JsonNode.Parse("""{"file": "<an image: PNG, JPEG, WebP or GIF, at most Media:MaxBytes>", "interaction_id": "0195f0c2-6b1e-7a51-9a8e-3c1d2b4e5f60"}""");
        }
        if (!content.ContainsKey(JsonMediaType)) return Task.CompletedTask;
        content.Remove("application/*+json");
        content.Remove("text/json");

        var bodyType = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (bodyType is not null && RequestExamples.For(bodyType.Name) is { } example)
            content[JsonMediaType].Example = JsonNode.Parse(example);
        return Task.CompletedTask;
    }
}
