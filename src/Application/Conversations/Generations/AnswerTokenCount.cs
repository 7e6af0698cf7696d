using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.Conversations.Generations;

/// <summary>
/// The one count of an answer's tokens (docs/domain-rules.md, "Tokens"): the runner cuts at max_tokens by it,
/// and it is the output token count (and so the price) when the provider reports no usage. The model adapters
/// do not count: every piece is counted here once.
/// Counts the o200k tokens of a streamed answer piece by piece, without re-counting the whole text each
/// time (quadratic). A piece is counted next to the piece before it, because the tokenizer merges across
/// that boundary (".\n" is one token): summing the pieces alone would over-count and stop answers early.
/// </summary>
public sealed class AnswerTokenCount(ITokenCounter tokenCounter)
{
    private string _previousPiece = string.Empty;
    private int _previousPieceTokens;

    public int Total { get; private set; }

    /// <summary>Adds the piece unless it would take the total past <paramref name="limit"/>.</summary>
    /// <returns>False, with nothing added, when the piece does not fit.</returns>
    public bool TryAdd(string piece, int limit)
    {
        var pieceTokens = tokenCounter.CountTokens(piece);
        var cost = _previousPiece.Length == 0 || tokenCounter.CountsAdd(_previousPiece, piece)
            ? pieceTokens
            : tokenCounter.CountTokens(_previousPiece, piece) - _previousPieceTokens;
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
