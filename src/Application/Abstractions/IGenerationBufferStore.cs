using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Abstractions;

/// <summary>
/// Holds the numbered events of every generation until <c>Streaming:BufferTtlMinutes</c> after it
/// ended. The owner appends; any number of readers read from a sequence on.
/// </summary>
public interface IGenerationBufferStore
{
    IGenerationBuffer Create(Guid generationId, Guid userId, GenerationFormat format);

    /// <summary>The buffer of a generation, or null when it is unknown here or has expired.</summary>
    ValueTask<IGenerationBuffer?> FindAsync(Guid generationId, CancellationToken cancellationToken);
}

public interface IGenerationBuffer
{
    Guid GenerationId { get; }
    Guid UserId { get; }
    GenerationFormat Format { get; }

    /// <summary>Appends an event and returns its sequence (the first is 1). Once a terminal event is in,
    /// further appends are refused and return null: a generation has exactly one terminal event.</summary>
    ValueTask<long?> AppendAsync(ConversationEvent @event, CancellationToken cancellationToken);

    /// <summary>The events after <paramref name="afterSequence"/>, then the live ones, ending after the terminal event.</summary>
    IAsyncEnumerable<GenerationEvent> ReadAsync(long afterSequence, CancellationToken cancellationToken);

    /// <summary>The sequence of the terminal event once the generation has ended, otherwise null.</summary>
    ValueTask<long?> GetTerminalSequenceAsync(CancellationToken cancellationToken);

    /// <summary>The sequence of the last event appended (0 when empty).</summary>
    ValueTask<long> GetLastSequenceAsync(CancellationToken cancellationToken);

    /// <summary>The text produced so far (the joined token contents): what a sweep saves for a lost owner.</summary>
    ValueTask<string> GetContentAsync(CancellationToken cancellationToken);
}
