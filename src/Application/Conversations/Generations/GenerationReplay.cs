using System.Runtime.CompilerServices;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Errors;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Opens an existing generation of the caller for reading, from its live buffer (here or, with Redis,
/// on any instance) or, once the buffer expired, from what the database kept. Every refusal
/// (404, 204, 503) happens in <see cref="OpenAsync"/>, before the first byte of a stream.
/// </summary>
public sealed class GenerationReplay(IGenerationBufferStore buffers, IGenerationRepository generations, GenerationReader reader)
{
    /// <summary>How long to wait for the buffer of a generation that was just started by a concurrent request.</summary>
    private static readonly TimeSpan StartingBufferWait = TimeSpan.FromSeconds(3);

    public async Task<IAsyncEnumerable<GenerationEvent>> OpenAsync(
        Guid userId, Guid generationId, long? afterSequence, CancellationToken cancellationToken) =>
        (await OpenWithFormatAsync(userId, generationId, afterSequence, cancellationToken)).Events;

    /// <summary><see cref="OpenAsync"/>, with the format of the endpoint that started the generation: a resume keeps
    /// it (docs/streaming-api.md, "Resume").</summary>
    public async Task<OpenedGeneration> OpenWithFormatAsync(
        Guid userId, Guid generationId, long? afterSequence, CancellationToken cancellationToken)
    {
        var after = afterSequence ?? 0;
        Generation? stored = null;
        if (afterSequence is not null)
        {
            // A position the generation can never reach is refused before anything waits for it.
            stored = await generations.FindOwnedAsync(generationId, userId, cancellationToken)
                ?? throw new NotFoundException("No generation found!");
            if (after > LastReachableSequence(stored))
                throw RequestValidationException.For("Last-Event-ID", $"This generation's events end at {LastReachableSequence(stored)} at most.");
        }

        var buffer = await buffers.FindAsync(generationId, cancellationToken);
        if (buffer is not null) return await FromBufferAsync(buffer, userId, after, cancellationToken);

        var generation = stored ?? await generations.FindOwnedAsync(generationId, userId, cancellationToken)
            ?? throw new NotFoundException("No generation found!");
        if (!generation.HasEnded)
        {
            // Its buffer may not exist yet (the starting request commits first, then creates it), or it
            // lives on another instance that this one cannot reach.
            buffer = await WaitForBufferAsync(generationId, cancellationToken)
                ?? throw new ServiceUnavailableException("This answer is being generated on another server. Please retry shortly.");
            return await FromBufferAsync(buffer, userId, after, cancellationToken);
        }
        var events = ReplayFromDatabase(generation, afterSequence);
        return events.Count == 0 ? throw new NoContentException() : new OpenedGeneration(generation.Format, ToAsync(events));
    }

    /// <summary>Metadata, at most max_tokens tokens, and the terminal event.</summary>
    private static long LastReachableSequence(Generation generation) => (long)generation.MaxTokens + 2;

    private async Task<OpenedGeneration> FromBufferAsync(IGenerationBuffer buffer, Guid userId, long after, CancellationToken cancellationToken)
    {
        if (buffer.UserId != userId) throw new NotFoundException("No generation found!");
        if (await buffer.GetTerminalSequenceAsync(cancellationToken) is { } end && after >= end) throw new NoContentException();
        return new OpenedGeneration(buffer.Format, reader.ReadAsync(buffer, after, cancellationToken));
    }

    private async Task<IGenerationBuffer?> WaitForBufferAsync(Guid generationId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartingBufferWait;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
            if (await buffers.FindAsync(generationId, cancellationToken) is { } buffer) return buffer;
        }
        return null;
    }

    /// <summary>
    /// With no position: the metadata, the saved answer as one token and the terminal event; with a position
    /// before the end: only the terminal event (its content is authoritative); at or past the end: nothing.
    /// </summary>
    internal static IReadOnlyList<GenerationEvent> ReplayFromDatabase(Generation generation, long? afterSequence)
    {
        if (generation.TerminalSequence is not { } end || generation.FirstEventJson is null || generation.TerminalEventJson is null)
            throw new ServiceUnavailableException("This answer is still being saved. Please retry shortly.");
        if ((afterSequence ?? 0) >= end) return [];

        var terminal = TerminalEvents.FromStored(generation.TerminalEventJson, generation.TerminalPointsBalance);
        var events = new List<GenerationEvent>(3);
        if (afterSequence is null)
        {
            events.Add(new GenerationEvent(generation.Id, 1, generation.Format, StoredEventCodec.Deserialize(generation.FirstEventJson)));
            if (terminal is CompleteEvent { Content.Length: > 0 } complete && end > 2)
                events.Add(new GenerationEvent(generation.Id, end - 1, generation.Format, new TokenEvent(complete.Content, complete.Timestamp)));
        }
        events.Add(new GenerationEvent(generation.Id, end, generation.Format, terminal));
        return events;
    }

    private static async IAsyncEnumerable<GenerationEvent> ToAsync(
        IReadOnlyList<GenerationEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask;
    }
}

/// <summary>A generation opened for reading: its events, and the format of the endpoint that started it.</summary>
public sealed record OpenedGeneration(GenerationFormat Format, IAsyncEnumerable<GenerationEvent> Events);
