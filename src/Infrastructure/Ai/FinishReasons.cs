namespace StudyGuru.Infrastructure.Ai;

/// <summary>The finish reasons the adapters report, spelled as on the wire (docs/streaming-api.md, "Events").</summary>
internal static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
}
