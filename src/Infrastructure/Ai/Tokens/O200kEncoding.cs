using System.Buffers;
using System.Text.RegularExpressions;

namespace StudyGuru.Infrastructure.Ai.Tokens;

/// <summary>
/// Counts the tokens of a text in OpenAI's o200k_base encoding (the GPT-4o family), as the
/// <c>Microsoft.ML.Tokenizers</c> tiktoken tokenizer counts them (its tests hold this class to that library on every
/// kind of text): the two special tokens count one each, the text between them is cut into pieces by o200k's
/// pattern, and each piece is one token when its UTF-8 bytes are one, else as many as byte-pair merging leaves.
/// Counting allocates nothing unless a piece is longer than 512 characters or 128 bytes (a word that long is merged with a
/// priority queue).
/// </summary>
internal sealed partial class O200kEncoding(O200kVocabulary vocabulary)
{
    private const string EndOfText = "<|endoftext|>";
    private const string EndOfPrompt = "<|endofprompt|>";
    private const string SpecialPrefix = "<|endof";
    private const int PieceOnTheStack = 512;

    // o200k_base's pattern, as published with the encoding: words with their leading character and contraction,
    // numbers of up to three digits, punctuation runs, line breaks and other white space.
    [GeneratedRegex(@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    private static partial Regex Pieces();

    public int CountTokens(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            var special = NextSpecialToken(text, out var specialLength);
            // The text before a special token is cut on its own, as if it ended there.
            var ordinary = special < 0 ? text : text[..special];
            foreach (var piece in Pieces().EnumerateMatches(ordinary))
                count += CountPiece(ordinary.Slice(piece.Index, piece.Length));
            if (special < 0) break;
            count++;
            text = text[(special + specialLength)..];
        }
        return count;
    }

    /// <summary>
    /// The first special token in <paramref name="text"/>, or -1. Both start with <see cref="SpecialPrefix"/>: one scan
    /// for it, rather than one per token from the same place each time, keeps a text full of them linear.
    /// </summary>
    private static int NextSpecialToken(ReadOnlySpan<char> text, out int length)
    {
        for (var from = 0; ;)
        {
            var found = text[from..].IndexOf(SpecialPrefix, StringComparison.Ordinal);
            if (found < 0)
            {
                length = 0;
                return -1;
            }
            var at = from + found;
            var rest = text[at..];
            if (rest.StartsWith(EndOfText, StringComparison.Ordinal)) length = EndOfText.Length;
            else if (rest.StartsWith(EndOfPrompt, StringComparison.Ordinal)) length = EndOfPrompt.Length;
            else
            {
                from = at + 1;
                continue;
            }
            return at;
        }
    }

    private int CountPiece(ReadOnlySpan<char> piece)
    {
        byte[]? rented = null;
        var maxBytes = piece.Length * 3;
        var buffer = piece.Length <= PieceOnTheStack ? stackalloc byte[PieceOnTheStack * 3] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var bytes = buffer[..EncodeUtf8(piece, buffer)];
            if (bytes.Length == 1) return 1;
            if (vocabulary.TryGetRank(bytes, out _)) return 1;
            return BytePairMerge.CountTokens(bytes, vocabulary);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// UTF-8, except that a lone surrogate becomes the three bytes of its code unit rather than U+FFFD's: the library
    /// encodes it so, and a count must not differ from its count on a malformed message.
    /// </summary>
    private static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            uint c = text[i];
            if (c < 0x80)
            {
                destination[length++] = (byte)c;
            }
            else if (c < 0x800)
            {
                destination[length++] = (byte)(0xC0 | (c >> 6));
                destination[length++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                var scalar = (uint)char.ConvertToUtf32(text[i], text[i + 1]);
                destination[length++] = (byte)(0xF0 | (scalar >> 18));
                destination[length++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                destination[length++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                destination[length++] = (byte)(0x80 | (scalar & 0x3F));
                i++;
            }
            else
            {
                destination[length++] = (byte)(0xE0 | (c >> 12));
                destination[length++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                destination[length++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return length;
    }
}
