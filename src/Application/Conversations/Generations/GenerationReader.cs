using System.Runtime.CompilerServices;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.StreamConversation;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// Reads a generation's buffer for one client. While it reads, it counts as a reader of the
/// generation when this instance owns it, so that a generation whose last reader left is stopped.
/// </summary>
public sealed class GenerationReader(RunningGenerations running)
{
    public async IAsyncEnumerable<GenerationEvent> ReadAsync(
        IGenerationBuffer buffer, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var presence = running.Find(buffer.GenerationId)?.AttachReader();
        await foreach (var item in buffer.ReadAsync(afterSequence, cancellationToken))
            yield return item;
    }
}
