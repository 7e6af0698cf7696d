using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Mvc;

namespace StudyGuru.WebApi.GraphQL;

/// <summary>
/// POST /graphql. The document is parsed and measured here, before graphql-dotnet validates it, so that an
/// oversized document costs one linear walk; everything about the document answers 200 with GraphQL
/// <c>errors</c>. Bodies over <c>Limits:MaxJsonBodyBytes</c> are refused with 413 by the body limit, whatever
/// their content type; a body that is not a GraphQL request at all (not JSON, a batch, <c>variables</c> that
/// is not an object) is a 400 problem, like any other malformed body.
/// </summary>
[ApiController]
[Route("graphql")]
[Microsoft.AspNetCore.Authorization.Authorize]
[Tags("GraphQL")]
public sealed class GraphQLController(IDocumentExecuter executer, IGraphQLTextSerializer serializer, ISchema schema) : ControllerBase
{
    [HttpPost]
    [Consumes("application/json")]
    [EndpointName("ExecuteGraphQL")]
    [EndpointSummary("Run a GraphQL query or mutation (the original system's schema)")]
    [ProducesResponseType(typeof(object), StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task Execute()
    {
        var cancellationToken = HttpContext.RequestAborted;
        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(Request.Body, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }
        if (request is null)
        {
            await Errors.ProblemWriter.WriteAsync(HttpContext, StatusCodes.Status400BadRequest, "Bad request",
                "The body is not a JSON GraphQL request: send one object {\"query\": \"...\", \"variables\": {...}} (no batches).");
            return;
        }

        var result = request.Query is not { Length: > 0 } query
            ? Refused("The request has no query.")
            : await ExecuteAsync(request, query, cancellationToken);
        await WriteAsync(StatusCodes.Status200OK, result, cancellationToken);
    }

    private async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, string query, CancellationToken cancellationToken)
    {
        GraphQLParser.AST.GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParserException syntax)
        {
            return Refused($"Syntax error: {syntax.Description} (line {syntax.Location.Line}, column {syntax.Location.Column}).");
        }
        if (DocumentLimits.Check(document) is { } refusal) return Refused(refusal);

        return await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = query,
            Document = document,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = HttpContext.RequestServices,
            User = User,
            CancellationToken = cancellationToken,
        });
    }

    private static ExecutionResult Refused(string message) =>
        new() { Errors = [new ExecutionError(message) { Code = GraphQLErrorCodes.BadUserInput }] };

    private async Task WriteAsync(int status, ExecutionResult result, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/json; charset=utf-8";
        await serializer.WriteAsync(Response.Body, result, cancellationToken);
    }
}
