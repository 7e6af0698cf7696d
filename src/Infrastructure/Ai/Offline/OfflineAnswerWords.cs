namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>
/// Cuts an answer into the pieces the offline model streams: one word each, with the whitespace before it. Each piece
/// is cut when it is asked for, so a running answer holds its text once rather than every piece of it for as long as
/// it streams (docs/performance.md, "Memory per open stream (sixth round)").
/// </summary>
internal static class OfflineAnswerWords
{
    /// <summary>Concatenating the pieces gives the answer back exactly (it never starts with whitespace).</summary>
    public static IEnumerable<string> Split(string answer)
    {
        var text = answer.TrimStart();
        var position = 0;
        while (NextWord(text, position, out _, out var wordEnd))
        {
            yield return text[position..wordEnd];
            position = wordEnd;
        }
    }

    /// <summary>Exactly <paramref name="count"/> words, single-spaced: the answer's words repeated as needed.</summary>
    public static IEnumerable<string> Exactly(string answer, int count)
    {
        if (!NextWord(answer, 0, out _, out _)) answer = "answer";
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (!NextWord(answer, position, out var wordStart, out var wordEnd))
            {
                // Past the last word: the answer's words again from the first.
                NextWord(answer, 0, out wordStart, out wordEnd);
            }
            position = wordEnd;
            var word = answer.AsSpan(wordStart, wordEnd - wordStart);
            yield return i == 0 ? word.ToString() : string.Concat(" ", word);
        }
    }

    /// <summary>The next run of non-whitespace at or after <paramref name="from"/>; false when there is none.</summary>
    private static bool NextWord(string text, int from, out int start, out int end)
    {
        start = from;
        while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
        end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return end > start;
    }
}
