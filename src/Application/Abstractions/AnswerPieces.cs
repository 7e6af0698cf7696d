using System.Collections;

namespace StudyGuru.Application.Abstractions;

/// <summary>
/// An answer's token pieces as its text and where each piece ends: two objects however long the answer, instead of a
/// string per piece. The runner records an answer for the response cache this way, so that each piece's string dies
/// with its token event instead of living (and being promoted by the GC) until the answer ends and then for as long
/// as the cache keeps it (docs/performance.md, "CPU per token event (sixth round)"). Immutable; a piece's string is
/// cut when it is asked for.
/// </summary>
public sealed class AnswerPieces : IReadOnlyList<string>
{
    private readonly int[] _ends;

    /// <param name="text">The pieces joined.</param>
    /// <param name="ends">The end of each piece in <paramref name="text"/>, ascending, the last at most its length.</param>
    public AnswerPieces(string text, int[] ends)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ends);
        var previous = 0;
        foreach (var end in ends)
        {
            if (end < previous || end > text.Length) throw new ArgumentOutOfRangeException(nameof(ends), "Piece ends must ascend within the text.");
            previous = end;
        }
        Text = text;
        _ends = ends;
    }

    /// <summary>The pieces joined.</summary>
    public string Text { get; }

    public int Count => _ends.Length;

    public string this[int index]
    {
        get
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            return Text[start.._ends[index]];
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < _ends.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
