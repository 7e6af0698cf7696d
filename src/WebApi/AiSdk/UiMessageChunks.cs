using System.Text.Json.Serialization;

namespace StudyGuru.WebApi.AiSdk;

/// <summary>
/// One chunk of the AI SDK's UI message stream (<c>x-vercel-ai-ui-message-stream: v1</c>): the JSON of one
/// <c>data:</c> line. Only chunk types and enum values that the SDK's own schema lists are ever written;
/// its keys are camelCase, the metadata inside (ours) is snake_case like the rest of the API.
/// </summary>
public abstract record UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}

/// <summary>First chunk: <c>messageId</c> is the answer's id in <c>GET /api/chat/{id}</c> (its generation id).</summary>
public sealed record StartChunk(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("messageMetadata")] ChatStartMetadata MessageMetadata) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "start";
}

public sealed record StartStepChunk : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "start-step";
}

public sealed record TextStartChunk([property: JsonPropertyName("id")] string Id) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "text-start";
}

/// <summary>A piece of the answer, as the model produced it.</summary>
public sealed record TextDeltaChunk([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("delta")] string Delta) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "text-delta";
}

public sealed record TextEndChunk([property: JsonPropertyName("id")] string Id) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "text-end";
}

public sealed record FinishStepChunk : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "finish-step";
}

/// <summary>Last chunk of an answer: <c>finishReason</c> is stop, length, or other for an answer stopped
/// early (the metadata's <c>finish_reason</c> then says cancelled).</summary>
public sealed record FinishChunk(
    [property: JsonPropertyName("finishReason")] string FinishReason,
    [property: JsonPropertyName("messageMetadata")] ChatFinishMetadata MessageMetadata) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "finish";
}

/// <summary>Before an <c>error</c> chunk: the error's code and what the answer was charged.</summary>
public sealed record MessageMetadataChunk([property: JsonPropertyName("messageMetadata")] ChatErrorMetadata MessageMetadata) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "message-metadata";
}

/// <summary>The answer failed after the stream started; <c>errorText</c> is a sentence for people.</summary>
public sealed record ErrorChunk([property: JsonPropertyName("errorText")] string ErrorText) : UiMessageChunk
{
    [JsonPropertyOrder(-1)]
    public override string Type => "error";
}

/// <summary><c>max_tokens</c> is the effective limit after the balance rule; <c>reserved_points</c> are held until the answer settles.</summary>
public sealed record ChatStartMetadata(
    [property: JsonPropertyName("interaction_id")] Guid InteractionId,
    [property: JsonPropertyName("generation_id")] Guid GenerationId,
    [property: JsonPropertyName("is_new_interaction")] bool IsNewInteraction,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    [property: JsonPropertyName("reserved_points")] int ReservedPoints);

/// <summary><c>points_cost</c> is what was charged; <c>points_balance</c> the spendable balance after it;
/// <c>finish_reason</c> is stop, length or cancelled.</summary>
public sealed record ChatFinishMetadata(
    [property: JsonPropertyName("tokens_used")] int TokensUsed,
    [property: JsonPropertyName("points_cost")] int PointsCost,
    [property: JsonPropertyName("input_tokens")] int InputTokens,
    [property: JsonPropertyName("output_tokens")] int OutputTokens,
    [property: JsonPropertyName("points_balance")] int PointsBalance,
    [property: JsonPropertyName("finish_reason")] string FinishReason,
    [property: JsonPropertyName("cached")] bool Cached);

/// <summary><c>error_code</c> is model_unavailable, model_error, cancelled, timeout, shutting_down or internal.</summary>
public sealed record ChatErrorMetadata(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("points_cost")] int PointsCost,
    [property: JsonPropertyName("points_balance")] int? PointsBalance);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StartChunk))]
[JsonSerializable(typeof(StartStepChunk))]
[JsonSerializable(typeof(TextStartChunk))]
[JsonSerializable(typeof(TextDeltaChunk))]
[JsonSerializable(typeof(TextEndChunk))]
[JsonSerializable(typeof(FinishStepChunk))]
[JsonSerializable(typeof(FinishChunk))]
[JsonSerializable(typeof(MessageMetadataChunk))]
[JsonSerializable(typeof(ErrorChunk))]
internal sealed partial class UiMessageChunkJsonContext : JsonSerializerContext
{
    public static UiMessageChunkJsonContext Relaxed { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
