using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// Describes the AI SDK endpoints' <c>text/event-stream</c> responses as they are on the wire: the JSON of one
/// <c>data:</c> line is one of the UI message chunks below, told apart by <c>type</c>. Runs after the
/// transformer of the other streams (OpenApi/StreamEventSchemasTransformer.cs) and takes these operations
/// back from it: they have their own chunks and no <c>Last-Event-ID</c> (the SDK resumes by replay).
/// </summary>
public sealed class UiMessageChunkSchemasTransformer : IOpenApiDocumentTransformer
{
    public const string Union = "AiSdkUiMessageChunk";
    private const string EventStream = "text/event-stream";
    private static readonly string[] StreamingOperations = ["ChatSend", "ChatResume"];

    private static readonly ChunkDescription[] Chunks =
    [
        new("AiSdkStartChunk", typeof(StartChunk), "start",
            "First chunk. `messageId` is the answer's id in `GET /api/chat/{id}` (its generation id); `messageMetadata` has `interaction_id`, `generation_id`, `is_new_interaction`, `max_tokens` (the effective limit) and `reserved_points`."),
        new("AiSdkStartStepChunk", typeof(StartStepChunk), "start-step", "Second chunk: the answer is one step."),
        new("AiSdkTextStartChunk", typeof(TextStartChunk), "text-start", "Opens the answer's one text part."),
        new("AiSdkTextDeltaChunk", typeof(TextDeltaChunk), "text-delta", "A piece of the answer, as the model produced it."),
        new("AiSdkTextEndChunk", typeof(TextEndChunk), "text-end", "Closes the text part."),
        new("AiSdkFinishStepChunk", typeof(FinishStepChunk), "finish-step", "Ends the step."),
        new("AiSdkFinishChunk", typeof(FinishChunk), "finish",
            "Last chunk of an answer, then `data: [DONE]`. `messageMetadata` has what was charged and the balance after it."),
        new("AiSdkMessageMetadataChunk", typeof(MessageMetadataChunk), "message-metadata",
            "Before an `error` chunk: the error's code and what the answer was charged."),
        new("AiSdkErrorChunk", typeof(ErrorChunk), "error", "The answer failed after the stream started (then `data: [DONE]`)."),
    ];

    public const string FramingDescription = """
        The AI SDK's UI message stream (`x-vercel-ai-ui-message-stream: v1`), as Server-Sent Events. The schema describes the JSON of one `data:` line:

        ```
        data: {"type":"start","messageId":"…","messageMetadata":{…}}

        data: {"type":"text-delta","id":"answer","delta":" Photosynthesis"}

        data: [DONE]

        ```

        - In order: `start`, `start-step`, `text-start`, one `text-delta` per token, `text-end`, `finish-step`, `finish`, then `data: [DONE]`; after a failure: `text-end`, `message-metadata`, `error`, `data: [DONE]`.
        - `: ping` comment lines arrive every 15 s while the stream is open; the SDK ignores them.
        - Refusals before the stream (400, 401, 402, 404, 409, 429...) are problem responses, which the SDK's transport makes the chat's error (its message is the problem body).
        """;

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        foreach (var chunk in Chunks)
            schemas[chunk.ComponentName] = await ChunkSchemaAsync(chunk, context, cancellationToken);
        schemas[Union] = new OpenApiSchema
        {
            Description = "One chunk of the AI SDK's UI message stream (POST /api/chat and GET /api/chat/{id}/stream).",
            OneOf = Chunks.Select(c => (IOpenApiSchema)new OpenApiSchemaReference(c.ComponentName, document)).ToList(),
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "type",
                Mapping = Chunks.ToDictionary(c => c.Type, c => new OpenApiSchemaReference(c.ComponentName, document)),
            },
        };
        schemas.Remove(nameof(UiMessageChunk));

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            if (StreamingOperations.Contains(operation.OperationId)) DescribeStream(document, operation);
    }

    private static void DescribeStream(OpenApiDocument document, OpenApiOperation operation)
    {
        foreach (var response in operation.Responses?.Values.OfType<OpenApiResponse>() ?? [])
        {
            if (response.Content?.TryGetValue(EventStream, out var media) != true) continue;
            media!.Schema = new OpenApiSchemaReference(Union, document);
            response.Description = FramingDescription;
        }
        if (operation.Responses?.TryGetValue("204", out var noContent) == true && noContent is OpenApiResponse nothing)
            nothing.Description = "Nothing runs in this chat: the AI SDK's transport ends the resume quietly.";
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "Last-Event-ID") is { } lastEventId) operation.Parameters.Remove(lastEventId);
    }

    private static async Task<IOpenApiSchema> ChunkSchemaAsync(ChunkDescription chunk, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(chunk.ClrType, null, cancellationToken);
        schema.Description = chunk.Text;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["type"] = Words("What this chunk is.", chunk.Type);
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("type");
        if (schema.Properties.ContainsKey("finishReason"))
            schema.Properties["finishReason"] = Words("The AI SDK's finish reason: stop, length, or other for an answer stopped early (the metadata's finish_reason then says cancelled).", "stop", "length", "other");
        return schema;
    }

    private static OpenApiSchema Words(string description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
    };

    private sealed record ChunkDescription(string ComponentName, Type ClrType, string Type, string Text);
}
