using System.Text.Json.Serialization;

namespace StudyGuru.WebApi.Sse;

/// <summary>
/// The JSON of one <c>data:</c> line of a stream, exactly as docs/streaming-api.md, "Events", defines it. The <c>type</c>
/// property says which event it is (streams carry no <c>event:</c> field).
/// </summary>
public abstract record StreamEvent
{
    /// <summary>metadata, start, token, complete or error. Written first.</summary>
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}

/// <summary>First event of stream-conversation. <c>max_tokens</c> is the effective limit after the balance rule.</summary>
public sealed record MetadataWireEvent(
    Guid InteractionId, bool IsNewInteraction, Guid UserId, Guid GenerationId, int MaxTokens, int ReservedPoints, double Timestamp)
    : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "metadata";
}

/// <summary>First event of stream-simple.</summary>
public sealed record StartWireEvent(string Message, Guid InteractionId, Guid GenerationId, double Timestamp) : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "start";
}

/// <summary>A piece of the answer, as the model produced it.</summary>
public sealed record TokenWireEvent(string Content, double Timestamp) : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "token";
}

/// <summary>Terminal event of stream-conversation. <c>content</c> equals the joined token contents;
/// <c>finish_reason</c> is stop, length or cancelled.</summary>
public sealed record CompleteWireEvent(
    string Content, int TokensUsed, int PointsCost, int InputTokens, int OutputTokens, int PointsBalance,
    string FinishReason, bool Cached, double Timestamp) : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "complete";
}

/// <summary>Terminal event of stream-simple (its <c>type</c> on the wire is <c>complete</c>).</summary>
public sealed record SimpleCompleteWireEvent(string Content, int TokensUsed, int PointsCost, string FinishReason, double Timestamp)
    : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "complete";
}

/// <summary>Terminal event when the answer failed. <c>code</c> is one of model_unavailable, model_error,
/// cancelled, timeout, shutting_down, internal.</summary>
public sealed record ErrorWireEvent(string Error, string Code, double Timestamp) : StreamEvent
{
    [JsonPropertyOrder(-1)]
    public override string Type => "error";
}
