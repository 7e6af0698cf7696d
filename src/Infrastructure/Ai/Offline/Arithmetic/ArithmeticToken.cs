using System.Numerics;

namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

internal enum ArithmeticTokenKind
{
    Number,
    Plus,
    Minus,
    Times,
    Divide,
    OpenParen,
    CloseParen,
    /// <summary>Anything that cannot be part of an integer expression (letters, '?', a decimal number...).</summary>
    Break,
}

internal readonly record struct ArithmeticToken(ArithmeticTokenKind Kind, BigInteger Value = default)
{
    public bool IsOperator => Kind is ArithmeticTokenKind.Plus or ArithmeticTokenKind.Minus
        or ArithmeticTokenKind.Times or ArithmeticTokenKind.Divide;
}
