namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>The HTTP handler under model calls.</summary>
internal static class ModelHttpHandler
{
    public static SocketsHttpHandler Create() => new()
    {
        // The handler lives as long as the app: recycle pooled connections instead, so DNS changes are seen.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // By default a response left early is drained (up to 1 MB, for 2 s) to reuse the connection, which
        // keeps the provider generating, and billing, after a cancel. Close the connection at once instead.
        MaxResponseDrainSize = 0,
    };
}
