namespace StudyGuru.Infrastructure.Streaming;

/// <summary>Redis keys of a generation; the hash tag keeps them in one cluster slot for the append script.</summary>
internal static class RedisGenerationKeys
{
    public const string StopChannel = "studyguru:gen:stop";

    public static string Meta(Guid generationId) => $"studyguru:gen:{{{generationId:N}}}:meta";
    public static string Events(Guid generationId) => $"studyguru:gen:{{{generationId:N}}}:events";
    public static string Readers(Guid generationId) => $"studyguru:gen:{{{generationId:N}}}:readers";
    public static string StopReply(Guid requestId) => $"studyguru:gen:stop-reply:{requestId:N}";
    public static string Appended(Guid generationId) => $"studyguru:gen:{generationId:N}:appended";
}
