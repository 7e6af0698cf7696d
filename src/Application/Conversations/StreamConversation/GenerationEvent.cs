using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// One numbered event of one generation, as a stream reader receives it. On the wire its id is
/// <c>&lt;GenerationId&gt;:&lt;Sequence&gt;</c>. The event log keeps one instance per event, so every reader on
/// this instance shares it, and with it the event's bytes on each wire format: encoded once, by the first
/// reader that needs them (docs/architecture.md, "One token's path").
/// </summary>
public sealed record GenerationEvent(Guid GenerationId, long Sequence, GenerationFormat Format, ConversationEvent Event)
{
    // A cache, not part of the event's value: equality below ignores it. The first wire format's bytes sit in
    // their own field, so that the common case (one format) allocates no slot array per event.
    private byte[]? _firstEncoding;
    private byte[]?[]? _otherEncodings;

    /// <summary>The event's bytes in <paramref name="encoding"/>, encoded on first use and shared afterwards.</summary>
    public ReadOnlyMemory<byte> EncodedAs(WireEncoding encoding)
    {
        // Two readers may both encode it the first time; one result wins and both are the same bytes.
        if (encoding.Slot == 0)
            return Volatile.Read(ref _firstEncoding)
                ?? Interlocked.CompareExchange(ref _firstEncoding, encoding.Encode(this), null)
                ?? _firstEncoding!;
        var slots = Volatile.Read(ref _otherEncodings)
            ?? Interlocked.CompareExchange(ref _otherEncodings, new byte[]?[WireEncoding.MaxEncodings], null)
            ?? _otherEncodings!;
        var bytes = Volatile.Read(ref slots[encoding.Slot]);
        if (bytes is not null) return bytes;
        return Interlocked.CompareExchange(ref slots[encoding.Slot], encoding.Encode(this), null) ?? slots[encoding.Slot]!;
    }

    public bool Equals(GenerationEvent? other) =>
        other is not null && GenerationId == other.GenerationId && Sequence == other.Sequence && Format == other.Format
        && Equals(Event, other.Event);

    public override int GetHashCode() => HashCode.Combine(GenerationId, Sequence, Format, Event);
}

/// <summary>
/// One wire format of the event log (the SSE events of the stream endpoints; a second protocol is another
/// subclass). Each format has a slot in every event's cache of encoded bytes.
/// </summary>
public abstract class WireEncoding
{
    /// <summary>How many wire formats the process may define; each costs one slot per cached event.</summary>
    public const int MaxEncodings = 4;
    private static int _registered = -1;

    protected WireEncoding()
    {
        Slot = Interlocked.Increment(ref _registered);
        if (Slot >= MaxEncodings) throw new InvalidOperationException($"At most {MaxEncodings} wire encodings can be defined.");
    }

    internal int Slot { get; }

    /// <summary>The complete bytes of one event on this wire (a whole frame: readers write frames back to back).</summary>
    public abstract byte[] Encode(GenerationEvent item);
}
