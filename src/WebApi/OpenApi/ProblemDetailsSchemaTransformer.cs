using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// The generated ProblemDetails schema forbids extra keys, but our problems carry snake_case extensions
/// (<c>errors</c>, <c>trace_id</c>, <c>current_points</c>/<c>required_points</c> on 402, <c>generation_id</c> on 409).
/// </summary>
public sealed class ProblemDetailsSchemaTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas || !schemas.ContainsKey("ProblemDetails")) return Task.CompletedTask;
        schemas["ProblemDetails"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details with snake_case keys.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI that identifies the kind of problem."),
                ["title"] = Text("A short summary of the problem."),
                ["status"] = Integer("The HTTP status code."),
                ["detail"] = Text("What went wrong, for a person."),
                ["instance"] = Text("The request path."),
                ["trace_id"] = Text("The W3C trace id of the request (32 hex digits): quote it when reporting a problem."),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "400 only: every failing field (by its JSON name) with its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["current_points"] = Integer("402 only: the spendable balance."),
                ["required_points"] = Integer("402 only: what even the shortest answer would cost."),
                ["generation_id"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Format = "uuid",
                    Description = "409 only: the generation already running in the interaction (resume it instead).",
                },
            },
            Required = new HashSet<string> { "title", "status" },
            AdditionalProperties = new OpenApiSchema(),
            Examples = [JsonNode.Parse("""
                {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
                 "errors":{"message":["Please provide a message or attach a file"]},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}
                """)!],
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
    private static OpenApiSchema Integer(string description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };
}
