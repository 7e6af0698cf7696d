using System.Collections.Concurrent;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Infrastructure.Ai.Tokens;

namespace StudyGuru.Infrastructure.Ai;

/// <summary>
/// Counts tokens with the o200k_base encoding (GPT-4o family). Register as a singleton: loading the
/// vocabulary takes ~30 ms, counting afterwards is cheap and thread-safe.
/// </summary>
internal sealed class O200kTokenCounter : ITokenCounter
{
    // A streamed answer is counted chunk by chunk, and chunks are short and repeat (" the", " of"...).
    // Counting runs the encoding's pattern and its table look-ups even for one word; a look-up here costs
    // ~50 ns. Bounded, so that arbitrary client text cannot grow it without limit.
    private const int MaxRememberedLength = 32;
    private const int MaxRemembered = 50_000;

    private readonly O200kEncoding _encoding = new(O200kVocabulary.Load());
    private readonly ConcurrentDictionary<string, int> _shortCounts;
    // The same table looked up by a span, so that two pieces are counted joined without building the string.
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _shortCountsBySpan;
    private int _remembered;

    // Every request's estimate counts the tutor's system prompt, a constant (one string instance):
    // counted once here instead of ~70 tokens through the tokenizer per request.
    private readonly int _systemPromptTokens;

    public O200kTokenCounter()
    {
        _shortCounts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        _shortCountsBySpan = _shortCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        _systemPromptTokens = _encoding.CountTokens(TutorPrompt.System);
    }

    public int CountTokens(string text)
    {
        if (ReferenceEquals(text, TutorPrompt.System)) return _systemPromptTokens;
        if (string.IsNullOrEmpty(text)) return 0;
        if (text.Length > MaxRememberedLength) return _encoding.CountTokens(text);
        if (_shortCounts.TryGetValue(text, out var known)) return known;

        var count = _encoding.CountTokens(text);
        if (Volatile.Read(ref _remembered) < MaxRemembered && _shortCounts.TryAdd(text, count))
            Interlocked.Increment(ref _remembered);
        return count;
    }

    /// <summary>
    /// o200k splits text into pieces by a pattern before it merges tokens, and never merges across those pieces. No
    /// piece of that pattern holds a space after a character that is not white space (a space only ever starts a
    /// word, a number or a punctuation run, or belongs to a run of white space), so a text ending in a letter, digit,
    /// punctuation or symbol and a text starting with a space are counted apart: e.g. "word" and " next".
    /// </summary>
    public bool CountsAdd(string first, string second) =>
        first is { Length: > 0 } && second is { Length: > 0 } && second[0] == ' ' && EndsAPiece(first[^1]);

    private static bool EndsAPiece(char last) =>
        char.IsLetterOrDigit(last) || char.IsPunctuation(last) || char.IsSymbol(last);

    public int CountTokens(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var length = first.Length + second.Length;
        if (length == 0) return 0;
        if (length > MaxRememberedLength) return _encoding.CountTokens(string.Concat(first, second));

        Span<char> joined = stackalloc char[MaxRememberedLength];
        first.CopyTo(joined);
        second.CopyTo(joined[first.Length..]);
        var text = joined[..length];
        if (_shortCountsBySpan.TryGetValue(text, out var known)) return known;

        var count = _encoding.CountTokens(text);
        if (Volatile.Read(ref _remembered) < MaxRemembered && _shortCountsBySpan.TryAdd(text, count))
            Interlocked.Increment(ref _remembered);
        return count;
    }
}
