namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

internal static class ArithmeticEvaluator
{
    /// <exception cref="DivideByZeroException">Some divisor in the tree is zero.</exception>
    public static ExactNumber Evaluate(ArithmeticNode node) => node switch
    {
        NumberNode number => ExactNumber.FromInteger(number.Value),
        NegateNode negate => -Evaluate(negate.Operand),
        GroupNode group => Evaluate(group.Inner),
        BinaryNode binary => Apply(binary.Operator, Evaluate(binary.Left), Evaluate(binary.Right)),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Unknown arithmetic node."),
    };

    private static ExactNumber Apply(BinaryOperator op, ExactNumber left, ExactNumber right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Subtract => left - right,
        BinaryOperator.Multiply => left * right,
        BinaryOperator.Divide => left / right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
    };
}
