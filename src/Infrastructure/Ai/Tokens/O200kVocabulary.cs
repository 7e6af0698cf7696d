using System.IO.Compression;
using System.Numerics;
using System.Reflection;

namespace StudyGuru.Infrastructure.Ai.Tokens;

/// <summary>
/// The o200k_base vocabulary: which byte sequences are tokens, and each one's rank (its merge priority). Read once from
/// the vocabulary file that the <c>Microsoft.ML.Tokenizers.Data.O200kBase</c> package embeds, and kept compact: every
/// token's bytes in one array, their starts in another, and an open-addressing table of ranks (~4.5 MB in all). The
/// library's own tokenizer keeps the same vocabulary three times over (by bytes, by id and as strings: ~45 MB of heap,
/// among it 200,000 small arrays and 200,000 strings) while counting needs only the first
/// (docs/performance.md, "Memory per open stream (eighth round)").
/// </summary>
internal sealed class O200kVocabulary
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string DataFile = "o200k_base.tiktoken.deflate";
    // The file may start with this line; every other line is one token in base64, its rank the line's index.
    private const string CapacityLine = "Capacity: ";
    private const int LongestToken = 256;

    // Token r is _bytes[_starts[r].._starts[r + 1]].
    private readonly byte[] _bytes;
    private readonly int[] _starts;
    // rank + 1 at the slot its bytes hash to (or the next free one after it); 0 is an empty slot.
    private readonly int[] _slots;
    // rank + 1 of each two-byte token by its bytes (first << 8 | second): the look-up a merge makes most.
    private readonly int[] _pairs = new int[1 << 16];

    private O200kVocabulary(byte[] bytes, int[] starts)
    {
        var count = starts.Length - 1;
        _bytes = bytes;
        _starts = starts;
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2))];
        for (var rank = 0; rank < count; rank++)
        {
            var token = Token(rank);
            if (token.IsEmpty) continue;
            if (token.Length == 2) _pairs[token[0] << 8 | token[1]] = rank + 1;
            var slot = Hash(token) & (_slots.Length - 1);
            while (_slots[slot] != 0) slot = (slot + 1) & (_slots.Length - 1);
            _slots[slot] = rank + 1;
        }
    }

    /// <summary>How many ranks the file gave (token ids 0 to Count - 1).</summary>
    public int Count => _starts.Length - 1;

    /// <summary>Reads the vocabulary file from the data package (~30 ms here).</summary>
    public static O200kVocabulary Load()
    {
        var assembly = Assembly.Load(new AssemblyName(DataAssembly));
        using var compressed = assembly.GetManifestResourceStream(DataFile)
            ?? throw new InvalidOperationException($"{DataAssembly} does not embed {DataFile}.");
        using var reader = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        return Read(reader);
    }

    /// <summary>Reads a vocabulary in the tiktoken text format: one base64 token a line, ranked by line.</summary>
    public static O200kVocabulary Read(TextReader reader)
    {
        var line = reader.ReadLine();
        var capacity = 0;
        if (line is not null && line.StartsWith(CapacityLine, StringComparison.Ordinal))
        {
            capacity = int.Parse(line.AsSpan(CapacityLine.Length), System.Globalization.CultureInfo.InvariantCulture);
            line = reader.ReadLine();
        }

        var bytes = new byte[Math.Max(1024, capacity * 8)];
        var starts = new int[capacity + 2];
        var count = 0;
        var length = 0;
        Span<byte> token = stackalloc byte[LongestToken];
        for (; line is not null; line = reader.ReadLine())
        {
            if (!Convert.TryFromBase64String(line, token, out var written))
                throw new InvalidDataException($"Line {count + 1} of the vocabulary is not a base64 token of at most {LongestToken} bytes.");
            if (length + written > bytes.Length) Array.Resize(ref bytes, bytes.Length * 2);
            if (count + 2 > starts.Length) Array.Resize(ref starts, starts.Length * 2);
            token[..written].CopyTo(bytes.AsSpan(length));
            starts[count] = length;
            length += written;
            count++;
        }
        starts[count] = length;
        Array.Resize(ref bytes, length);
        Array.Resize(ref starts, count + 1);
        return new O200kVocabulary(bytes, starts);
    }

    /// <summary>The bytes of the token with this rank.</summary>
    public ReadOnlySpan<byte> Token(int rank) => _bytes.AsSpan(_starts[rank], _starts[rank + 1] - _starts[rank]);

    /// <summary>The rank of <paramref name="bytes"/> when they are one token.</summary>
    public bool TryGetRank(ReadOnlySpan<byte> bytes, out int rank)
    {
        if (bytes.Length == 2)
        {
            rank = _pairs[bytes[0] << 8 | bytes[1]] - 1;
            return rank >= 0;
        }
        var mask = _slots.Length - 1;
        for (var slot = Hash(bytes) & mask; _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var candidate = _slots[slot] - 1;
            if (Token(candidate).SequenceEqual(bytes))
            {
                rank = candidate;
                return true;
            }
        }
        rank = -1;
        return false;
    }

    // FNV-1a, with the high bits folded in: the table is indexed by the low ones.
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        return (int)(hash ^ (hash >> 16));
    }
}
