namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>
/// Recursive descent over a token span, the usual grammar with left associativity:
/// <code>
/// expression := term (('+' | '-') term)*
/// term       := unary (('*' | '/') unary)*
/// unary      := '-' unary | '+' unary | primary
/// primary    := number | '(' expression ')'
/// </code>
/// </summary>
internal sealed class ArithmeticParser
{
    private readonly IReadOnlyList<ArithmeticToken> _tokens;
    private readonly int _end;
    private int _position;

    private ArithmeticParser(IReadOnlyList<ArithmeticToken> tokens, int start, int end)
    {
        _tokens = tokens;
        _position = start;
        _end = end;
    }

    /// <summary>Parses exactly the tokens in [start, end); null when they are not one whole expression.</summary>
    public static ArithmeticNode? TryParse(IReadOnlyList<ArithmeticToken> tokens, int start, int end)
    {
        var parser = new ArithmeticParser(tokens, start, end);
        var node = parser.ParseExpression();
        return node is not null && parser._position == end ? node : null;
    }

    private ArithmeticNode? ParseExpression()
    {
        var left = ParseTerm();
        while (left is not null && Peek() is ArithmeticTokenKind.Plus or ArithmeticTokenKind.Minus)
        {
            var op = Next() == ArithmeticTokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            var right = ParseTerm();
            left = right is null ? null : new BinaryNode(op, left, right);
        }

        return left;
    }

    private ArithmeticNode? ParseTerm()
    {
        var left = ParseUnary();
        while (left is not null && Peek() is ArithmeticTokenKind.Times or ArithmeticTokenKind.Divide)
        {
            var op = Next() == ArithmeticTokenKind.Times ? BinaryOperator.Multiply : BinaryOperator.Divide;
            var right = ParseUnary();
            left = right is null ? null : new BinaryNode(op, left, right);
        }

        return left;
    }

    private ArithmeticNode? ParseUnary()
    {
        switch (Peek())
        {
            case ArithmeticTokenKind.Minus:
                Next();
                var operand = ParseUnary();
                return operand is null ? null : new NegateNode(operand);
            case ArithmeticTokenKind.Plus:
                Next();
                return ParseUnary();
            default:
                return ParsePrimary();
        }
    }

    private ArithmeticNode? ParsePrimary()
    {
        switch (Peek())
        {
            case ArithmeticTokenKind.Number:
                return new NumberNode(_tokens[_position++].Value);
            case ArithmeticTokenKind.OpenParen:
                Next();
                var inner = ParseExpression();
                if (inner is null || Peek() != ArithmeticTokenKind.CloseParen)
                {
                    return null;
                }

                Next();
                return new GroupNode(inner);
            default:
                return null;
        }
    }

    private ArithmeticTokenKind? Peek() => _position < _end ? _tokens[_position].Kind : null;

    private ArithmeticTokenKind Next() => _tokens[_position++].Kind;
}
