namespace StudyGuru.Infrastructure.Streaming;

/// <summary>A stop request on the stop channel: <c>&lt;generation id&gt; &lt;reply channel&gt;</c>.</summary>
internal static class RedisStopRequest
{
    public static string Format(Guid generationId, string replyChannel) => $"{generationId:D} {replyChannel}";

    public static bool TryParse(string message, out Guid generationId, out string? replyChannel)
    {
        var space = message.IndexOf(' ');
        replyChannel = space > 0 ? message[(space + 1)..] : null;
        return Guid.TryParse(space > 0 ? message.AsSpan(0, space) : message, out generationId);
    }
}
