using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.OpenApi;

/// <summary>
/// Describes the <c>text/event-stream</c> responses as they are on the wire. OpenAPI 3.1 has no per-item schema
/// for streams, so the media type's schema describes the JSON of one <c>data:</c> line: a <c>oneOf</c> of one
/// schema per event, told apart by the single-valued <c>type</c> property (a discriminator). The framing is
/// written into the response description.
/// </summary>
public sealed class StreamEventSchemasTransformer : IOpenApiDocumentTransformer
{
    public const string ConversationUnion = "ConversationStreamEvent";
    public const string SimpleUnion = "SimpleStreamEvent";
    public const string AnyStreamUnion = "AnyStreamEvent";
    private const string EventStream = "text/event-stream";

    private static readonly StreamEventDescription[] Events =
    [
        new("MetadataEvent", typeof(MetadataWireEvent), "metadata",
            "First event of stream-conversation. `max_tokens` is the effective limit after the balance rule; `reserved_points` is held until the answer settles."),
        new("StartEvent", typeof(StartWireEvent), "start", "First event of stream-simple."),
        new("TokenEvent", typeof(TokenWireEvent), "token", "A piece of the answer, as the model produced it. Append `content` to the answer."),
        new("CompleteEvent", typeof(CompleteWireEvent), "complete",
            "Terminal event of stream-conversation. `content` equals the concatenation of the token contents; `points_cost` is what was charged; `points_balance` is the spendable balance after it."),
        new("SimpleCompleteEvent", typeof(SimpleCompleteWireEvent), "complete", "Terminal event of stream-simple."),
        new("ErrorEvent", typeof(ErrorWireEvent), "error",
            "Terminal event when the answer failed. `error` is a sentence for people, `code` a stable word for programs."),
    ];

    private static readonly string[] FinishReasons = ["stop", "length", "cancelled"];
    private static readonly string[] ErrorCodes = ["model_unavailable", "model_error", "cancelled", "timeout", "shutting_down", "internal"];

    public const string FramingDescription = """
        A stream of Server-Sent Events (`text/event-stream`). The schema describes the JSON of one `data:` line. Each event is one frame, written and flushed at once:

        ```
        id: <generation_id>:<sequence>
        data: <json on one line>

        ```

        - `sequence` starts at 1 and grows by one per event; keep the last `id` to resume.
        - There is no `event:` field (and no `retry:`): read the JSON's `type` (`metadata`/`start`, `token`, `complete`, `error`).
        - `: ping` comment lines arrive every `Streaming:HeartbeatSeconds` (15 s) while the stream is open; ignore them.
        - Every stream ends with exactly one terminal event, `complete` or `error`, then the server closes the response.
        - A request with a `Last-Event-ID` header naming one of the caller's generations never starts a new one: it gets the events after that sequence, then the live ones — or **204** when the generation has ended and nothing is left to send.
        - Refusals before the stream (400, 401, 402, 404, 409, 429...) are problem responses, never a 200 stream; failures after the first byte are an `error` event.
        """;

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;

        foreach (var description in Events)
            schemas[description.ComponentName] = await EventSchemaAsync(description, context, cancellationToken);

        schemas[ConversationUnion] = Union(document, "One event of stream-conversation (and of a resumed conversation stream).",
            ["MetadataEvent", "TokenEvent", "CompleteEvent", "ErrorEvent"]);
        schemas[SimpleUnion] = Union(document, "One event of stream-simple (and of a resumed simple stream).",
            ["StartEvent", "TokenEvent", "SimpleCompleteEvent", "ErrorEvent"]);
        schemas[AnyStreamUnion] = new OpenApiSchema
        {
            Description = "A resumed generation keeps the format of the endpoint that started it.",
            AnyOf = [new OpenApiSchemaReference(ConversationUnion, document), new OpenApiSchemaReference(SimpleUnion, document)],
        };

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            DescribeStreamResponses(document, operation);

        // The declared response type, and .NET's SSE wrapper if one sneaks in, are not what is on the wire.
        foreach (var name in schemas.Keys.Where(n => n == nameof(StreamEvent) || n.StartsWith("SseItem", StringComparison.Ordinal)).ToList())
            schemas.Remove(name);
    }

    private static void DescribeStreamResponses(OpenApiDocument document, OpenApiOperation operation)
    {
        if (operation.Responses is null) return;
        var union = operation.OperationId switch
        {
            "StreamConversation" => ConversationUnion,
            "StreamSimple" => SimpleUnion,
            _ => AnyStreamUnion,
        };
        var streams = false;
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            if (response.Content?.TryGetValue(EventStream, out var media) != true) continue;
            media!.Schema = new OpenApiSchemaReference(union, document);
            response.Description = FramingDescription;
            streams = true;
        }
        if (!streams) return;

        if (operation.Responses.TryGetValue("204", out var noContent) && noContent is OpenApiResponse ended)
            ended.Description = "The generation named by `Last-Event-ID` has ended and nothing is left to send: the end, do not reconnect.";
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == "Last-Event-ID")) return;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Last-Event-ID",
            In = ParameterLocation.Header,
            Required = false,
            Description = "The `id` of the last event received (`<generation_id>:<sequence>`): resumes that generation after it instead of starting a new one. Browsers' EventSource sends it by itself on reconnect.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9a-fA-F-]{36}:[0-9]+$" },
            Example = JsonValue.Create("3f2c9a1e-8d4b-4f6a-9c1d-2b7e5a9f0c11:12"),
        });
    }

    private static async Task<IOpenApiSchema> EventSchemaAsync(
        StreamEventDescription description, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(description.ClrType, null, cancellationToken);
        schema.Description = description.Text;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["type"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [JsonValue.Create(description.Type)],
            Description = "What this event is.",
        };
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("type");
        if (schema.Properties.ContainsKey("finish_reason"))
            schema.Properties["finish_reason"] = Words("stop: the answer ended; length: it hit max_tokens; cancelled: stopped early (charged for what was produced).", FinishReasons);
        if (schema.Properties.ContainsKey("code"))
            schema.Properties["code"] = Words("A stable machine word for what went wrong.", ErrorCodes);
        if (schema.Properties.TryGetValue("timestamp", out var timestamp) && timestamp is OpenApiSchema time)
            time.Description = "Unix time in seconds with milliseconds, e.g. 1732412345.123.";
        return schema;
    }

    private static OpenApiSchema Words(string description, string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
    };

    private static OpenApiSchema Union(OpenApiDocument document, string description, string[] members) => new()
    {
        Description = description,
        OneOf = members.Select(m => (IOpenApiSchema)new OpenApiSchemaReference(m, document)).ToList(),
        Discriminator = new OpenApiDiscriminator
        {
            PropertyName = "type",
            Mapping = members.ToDictionary(
                m => Events.First(e => e.ComponentName == m).Type,
                m => new OpenApiSchemaReference(m, document)),
        },
    };

    private sealed record StreamEventDescription(string ComponentName, Type ClrType, string Type, string Text);
}
