using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StudyGuru.WebApi.Sse;

/// <summary>Source-generated serialization of the stream events: snake_case, relaxed escaping (no \uXXXX for
/// ordinary non-ASCII text), no reflection on the per-token hot path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MetadataWireEvent))]
[JsonSerializable(typeof(StartWireEvent))]
[JsonSerializable(typeof(TokenWireEvent))]
[JsonSerializable(typeof(CompleteWireEvent))]
[JsonSerializable(typeof(SimpleCompleteWireEvent))]
[JsonSerializable(typeof(ErrorWireEvent))]
internal sealed partial class WireJsonContext : JsonSerializerContext
{
    public static WireJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
