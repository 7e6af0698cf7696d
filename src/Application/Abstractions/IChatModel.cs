namespace StudyGuru.Application.Abstractions;

/// <summary>A chat model that streams an answer. Implemented by the offline tutor and by Semantic Kernel.</summary>
public interface IChatModel
{
    /// <summary>"offline" or "openai": shown in readiness and logs so nobody mistakes the offline model for a real one.</summary>
    string Kind { get; }

    /// <summary>True for a real model; only real models are asked for generated thread titles.</summary>
    bool IsReal { get; }

    /// <summary>
    /// Streams the answer. Text chunks come first; a chunk with <see cref="ChatChunk.Usage"/> may come last
    /// when the provider reports usage. Failures are thrown as <see cref="ChatModelException"/>.
    /// Cancelling <paramref name="cancellationToken"/> must stop the upstream call.
    /// </summary>
    IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}
