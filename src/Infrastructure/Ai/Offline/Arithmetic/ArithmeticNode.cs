using System.Numerics;

namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>The syntax tree of an integer expression; parentheses are kept so the answer can show them.</summary>
internal abstract record ArithmeticNode;

internal sealed record NumberNode(BigInteger Value) : ArithmeticNode;

internal sealed record NegateNode(ArithmeticNode Operand) : ArithmeticNode;

internal sealed record GroupNode(ArithmeticNode Inner) : ArithmeticNode;

internal sealed record BinaryNode(BinaryOperator Operator, ArithmeticNode Left, ArithmeticNode Right) : ArithmeticNode;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}
