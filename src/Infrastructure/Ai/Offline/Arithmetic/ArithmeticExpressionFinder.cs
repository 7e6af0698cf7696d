namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>
/// Finds the arithmetic expression inside a message ("What is 12*(3+4)?"): the longest run of tokens
/// that parses as one whole expression with at least one binary operator and two numbers.
/// </summary>
internal static class ArithmeticExpressionFinder
{
    /// <summary>
    /// The longest expression considered, in tokens. It bounds the search (spans of a run times their
    /// length) and the parser's recursion depth; no student question needs more.
    /// </summary>
    internal const int MaxTokensPerRun = 128;

    public static ArithmeticNode? Find(string text)
    {
        var tokens = ArithmeticLexer.Tokenize(text);
        ArithmeticNode? best = null;
        var bestLength = 0;
        foreach (var (start, end) in Runs(tokens))
        {
            if (!HasOperator(tokens, start, end))
            {
                continue;
            }

            var found = LongestIn(tokens, start, end, bestLength);
            if (found is { } match)
            {
                best = match.Node;
                bestLength = match.Length;
            }
        }

        return best;
    }

    /// <summary>The longest expression in [start, end) longer than <paramref name="longerThan"/> tokens, leftmost first.</summary>
    private static (ArithmeticNode Node, int Length)? LongestIn(List<ArithmeticToken> tokens, int start, int end, int longerThan)
    {
        // The shortest qualifying expression is "a+b": three tokens.
        for (var length = Math.Min(end - start, MaxTokensPerRun); length >= 3 && length > longerThan; length--)
        {
            for (var from = start; from + length <= end; from++)
            {
                var to = from + length;
                if (!CanStart(tokens[from].Kind) || !CanEnd(tokens[to - 1].Kind))
                {
                    continue;
                }

                var node = ArithmeticParser.TryParse(tokens, from, to);
                if (node is not null && IsWorthAnswering(node))
                {
                    return (node, length);
                }
            }
        }

        return null;
    }

    /// <summary>Maximal runs of tokens that are not breaks.</summary>
    private static IEnumerable<(int Start, int End)> Runs(List<ArithmeticToken> tokens)
    {
        var start = -1;
        for (var i = 0; i <= tokens.Count; i++)
        {
            var isBreak = i == tokens.Count || tokens[i].Kind == ArithmeticTokenKind.Break;
            if (!isBreak && start < 0)
            {
                start = i;
            }
            else if (isBreak && start >= 0)
            {
                yield return (start, i);
                start = -1;
            }
        }
    }

    private static bool HasOperator(List<ArithmeticToken> tokens, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsOperator)
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanStart(ArithmeticTokenKind kind) =>
        kind is ArithmeticTokenKind.Number or ArithmeticTokenKind.OpenParen or ArithmeticTokenKind.Minus;

    private static bool CanEnd(ArithmeticTokenKind kind) =>
        kind is ArithmeticTokenKind.Number or ArithmeticTokenKind.CloseParen;

    /// <summary>"-5" or "(7)" is a number, not a sum to explain; a binary operator brings two numbers with it.</summary>
    private static bool IsWorthAnswering(ArithmeticNode node) => CountBinaryOperators(node) >= 1;

    private static int CountBinaryOperators(ArithmeticNode node) => node switch
    {
        BinaryNode binary => 1 + CountBinaryOperators(binary.Left) + CountBinaryOperators(binary.Right),
        NegateNode negate => CountBinaryOperators(negate.Operand),
        GroupNode group => CountBinaryOperators(group.Inner),
        _ => 0,
    };
}
