namespace StudyGuru.Benchmarks.Hosting;

/// <summary>
/// A server the clients talk to: the API, or the bare Kestrel baseline. Both serve
/// <c>POST /api/stream/stream-conversation</c>; the baseline ignores the bearer tokens.
/// </summary>
public sealed class Target(string name, ServerProcess server, IReadOnlyList<string> bearerTokens, string? scratchDirectory)
    : IAsyncDisposable
{
    public const string StreamPath = "/api/stream/stream-conversation";

    public string Name { get; } = name;
    public ServerProcess Server { get; } = server;
    public Uri StreamUri { get; } = new(server.BaseAddress, StreamPath);

    /// <summary>Client <paramref name="client"/>'s bearer token: users are shared round-robin between clients.</summary>
    public string TokenFor(int client) => bearerTokens[client % bearerTokens.Count];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (scratchDirectory is not null && Directory.Exists(scratchDirectory))
        {
            try
            {
                Directory.Delete(scratchDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still closing; the temp folder is cleaned by the system later.
            }
        }
    }
}
