namespace StudyGuru.Benchmarks.Clients;

/// <summary>Counts shared by all clients while they run, read at the edges of a measurement window.</summary>
public sealed class LiveCounters
{
    private long _tokens;
    private long _conversations;

    public long Tokens => Interlocked.Read(ref _tokens);
    public long Conversations => Interlocked.Read(ref _conversations);

    public void TokenArrived() => Interlocked.Increment(ref _tokens);
    public void ConversationCompleted() => Interlocked.Increment(ref _conversations);
}
