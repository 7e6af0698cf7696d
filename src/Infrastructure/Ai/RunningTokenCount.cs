using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai;

/// <summary>
/// Counts the o200k tokens of a streamed answer piece by piece, without re-counting the whole text each
/// time (quadratic). A piece is counted next to the piece before it, because the tokenizer merges across
/// that boundary (".\n" is one token): summing the pieces alone would over-count and stop answers early.
/// </summary>
internal sealed class RunningTokenCount(ITokenCounter tokenCounter)
{
    private string _previousPiece = string.Empty;
    private int _previousPieceTokens;

    public int Total { get; private set; }

    /// <summary>Adds the piece unless it would take the total past <paramref name="limit"/>.</summary>
    /// <returns>False, with nothing added, when the piece does not fit.</returns>
    public bool TryAdd(string piece, int limit)
    {
        var pieceTokens = tokenCounter.CountTokens(piece);
        var cost = tokenCounter.CountTokens(_previousPiece + piece) - _previousPieceTokens;
        if (Total + cost > limit)
        {
            return false;
        }

        Total += cost;
        _previousPiece = piece;
        _previousPieceTokens = pieceTokens;
        return true;
    }
}
