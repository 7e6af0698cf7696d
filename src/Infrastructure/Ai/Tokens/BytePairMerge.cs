using System.Buffers;

namespace StudyGuru.Infrastructure.Ai.Tokens;

/// <summary>
/// Byte-pair encoding of one piece of text, counted rather than kept: starting from single bytes, the adjacent pair
/// whose joined bytes are the lowest-ranked token is merged, leftmost first among equal ranks, until no adjacent pair
/// is a token; the parts left are the piece's tokens. A short piece is merged with a scan for the lowest rank after
/// each merge (its arrays on the stack); a long one (a 10,000-letter "word" in a student's message) with a priority
/// queue, so that it costs n log n rather than n².
/// </summary>
internal static class BytePairMerge
{
    /// <summary>Up to this many bytes the quadratic scan is the faster one (and the library's choice too).</summary>
    private const int ScannedPiece = 128;

    private const int NotAToken = int.MaxValue;

    /// <summary>How many tokens <paramref name="piece"/> (at least two bytes, not itself a token) merges into.</summary>
    public static int CountTokens(ReadOnlySpan<byte> piece, O200kVocabulary vocabulary) =>
        piece.Length <= ScannedPiece ? CountByScanning(piece, vocabulary) : CountWithQueue(piece, vocabulary);

    internal static int CountByScanning(ReadOnlySpan<byte> piece, O200kVocabulary vocabulary)
    {
        // Part i starts at starts[i] and ends where part i + 1 starts; ranks[i] is the rank of parts i and i + 1 joined.
        // The last entry marks the end of the piece.
        Span<int> starts = stackalloc int[ScannedPiece + 1];
        Span<int> ranks = stackalloc int[ScannedPiece + 1];
        var parts = piece.Length;
        for (var i = 0; i <= parts; i++)
        {
            starts[i] = i;
            ranks[i] = i + 1 < parts ? RankOf(piece[i..(i + 2)], vocabulary) : NotAToken;
        }

        while (parts > 1)
        {
            var lowest = 0;
            for (var i = 1; i < parts - 1; i++)
                if (ranks[i] < ranks[lowest]) lowest = i;
            if (ranks[lowest] == NotAToken) break;

            // Parts lowest and lowest + 1 become one: its pair with the next part and the previous part's pair with it change.
            ranks[lowest] = lowest + 2 < parts ? RankOf(piece[starts[lowest]..starts[lowest + 3]], vocabulary) : NotAToken;
            if (lowest > 0) ranks[lowest - 1] = RankOf(piece[starts[lowest - 1]..starts[lowest + 2]], vocabulary);
            starts[(lowest + 2)..(parts + 1)].CopyTo(starts[(lowest + 1)..]);
            ranks[(lowest + 2)..(parts + 1)].CopyTo(ranks[(lowest + 1)..]);
            parts--;
        }
        return parts;
    }

    internal static int CountWithQueue(ReadOnlySpan<byte> piece, O200kVocabulary vocabulary)
    {
        var length = piece.Length;
        // Indexed by a part's first byte: where it ends, where the part before it starts, and the rank of it joined with
        // the next part (NotAToken once it is no longer a part's start, which makes its queued entries stale).
        var ends = ArrayPool<int>.Shared.Rent(length);
        var previous = ArrayPool<int>.Shared.Rent(length);
        var ranks = ArrayPool<int>.Shared.Rent(length);
        try
        {
            var queue = new PriorityQueue<int, long>(length);
            for (var i = 0; i < length; i++)
            {
                ends[i] = i + 1;
                previous[i] = i - 1;
                ranks[i] = i + 1 < length ? RankOf(piece[i..(i + 2)], vocabulary) : NotAToken;
                if (ranks[i] != NotAToken) queue.Enqueue(i, Priority(ranks[i], i));
            }

            var parts = length;
            while (queue.TryDequeue(out var start, out var priority))
            {
                if (ranks[start] != (int)(priority >> 32)) continue;
                var next = ends[start];
                var end = ends[next];
                ends[start] = end;
                ranks[next] = NotAToken;
                if (end < length) previous[end] = start;
                parts--;

                ranks[start] = end < length ? RankOf(piece[start..ends[end]], vocabulary) : NotAToken;
                if (ranks[start] != NotAToken) queue.Enqueue(start, Priority(ranks[start], start));
                if (start > 0)
                {
                    var before = previous[start];
                    ranks[before] = RankOf(piece[before..end], vocabulary);
                    if (ranks[before] != NotAToken) queue.Enqueue(before, Priority(ranks[before], before));
                }
            }
            return parts;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ends);
            ArrayPool<int>.Shared.Return(previous);
            ArrayPool<int>.Shared.Return(ranks);
        }
    }

    // The lowest rank first, and among equal ranks the leftmost pair.
    private static long Priority(int rank, int start) => (long)rank << 32 | (uint)start;

    private static int RankOf(ReadOnlySpan<byte> bytes, O200kVocabulary vocabulary) =>
        vocabulary.TryGetRank(bytes, out var rank) ? rank : NotAToken;
}
