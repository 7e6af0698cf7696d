namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>
/// Writes the offline model's answer to an expression: "12 × (3 + 4) = 84. Multiply 12 by the sum of 3 and 4."
/// A non-integer result is shown as the exact fraction in lowest terms and its decimal form
/// ("7 ÷ 2 = 7/2 = 3.5.", "1 ÷ 3 = 1/3 ≈ 0.333333."). Division by zero gets a sentence, not a number.
/// </summary>
internal static class ArithmeticAnswerWriter
{
    public static string Write(ArithmeticNode expression)
    {
        var shown = Render(expression);
        ExactNumber result;
        try
        {
            result = ArithmeticEvaluator.Evaluate(expression);
        }
        catch (DivideByZeroException)
        {
            return $"Division by zero is undefined, so {shown} has no value: no number multiplied by 0 gives back the number being divided. Check the divisor and try again.";
        }

        return $"{shown} = {FormatResult(result)}. {Explain(expression)}";
    }

    internal static string Render(ArithmeticNode node) => node switch
    {
        NumberNode number => number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NegateNode { Operand: NegateNode inner } => $"-({Render(inner)})",
        NegateNode negate => "-" + Render(negate.Operand),
        GroupNode group => $"({Render(group.Inner)})",
        BinaryNode binary => $"{Render(binary.Left)} {Symbol(binary.Operator)} {Render(binary.Right)}",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Unknown arithmetic node."),
    };

    private static string FormatResult(ExactNumber value)
    {
        if (value.IsInteger)
        {
            return value.ToString();
        }

        var decimalForm = value.ToDecimalString(out var isExact);
        return isExact ? $"{value} = {decimalForm}" : $"{value} ≈ {decimalForm}";
    }

    private static string Explain(ArithmeticNode expression)
    {
        var top = Unwrap(expression);
        var sentence = top switch
        {
            BinaryNode { Operator: BinaryOperator.Add } b => $"Add {Describe(b.Left)} and {Describe(b.Right)}.",
            BinaryNode { Operator: BinaryOperator.Subtract } b => $"Subtract {Describe(b.Right)} from {Describe(b.Left)}.",
            BinaryNode { Operator: BinaryOperator.Multiply } b => $"Multiply {Describe(b.Left)} by {Describe(b.Right)}.",
            BinaryNode { Operator: BinaryOperator.Divide } b => $"Divide {Describe(b.Left)} by {Describe(b.Right)}.",
            NegateNode negate => $"Take the negative of {Describe(negate.Operand)}.",
            _ => "Work from the innermost parentheses outwards.",
        };

        return ReliesOnPrecedence(expression)
            ? sentence + " Multiplication and division come before addition and subtraction."
            : sentence;
    }

    /// <summary>How an operand reads in the explanation: "12", "the sum of 3 and 4", "(2 × 3 + 1) (which is 7)".</summary>
    private static string Describe(ArithmeticNode node)
    {
        if (IsSimple(node))
        {
            return Render(node);
        }

        if (node is GroupNode { Inner: BinaryNode inner } && IsSimple(inner.Left) && IsSimple(inner.Right))
        {
            var name = inner.Operator switch
            {
                BinaryOperator.Add => "sum",
                BinaryOperator.Subtract => "difference",
                BinaryOperator.Multiply => "product",
                _ => "quotient",
            };
            return $"the {name} of {Render(inner.Left)} and {Render(inner.Right)}";
        }

        return $"{Render(node)} (which is {FormatResult(ArithmeticEvaluator.Evaluate(node))})";
    }

    private static bool IsSimple(ArithmeticNode node) => node is NumberNode or NegateNode { Operand: NumberNode };

    private static ArithmeticNode Unwrap(ArithmeticNode node) => node is GroupNode group ? Unwrap(group.Inner) : node;

    /// <summary>True when a product or quotient sits, without parentheses, inside a sum or difference.</summary>
    private static bool ReliesOnPrecedence(ArithmeticNode node) => node switch
    {
        BinaryNode { Operator: BinaryOperator.Add or BinaryOperator.Subtract } b =>
            IsProductOrQuotient(b.Left) || IsProductOrQuotient(b.Right) || ReliesOnPrecedence(b.Left) || ReliesOnPrecedence(b.Right),
        BinaryNode b => ReliesOnPrecedence(b.Left) || ReliesOnPrecedence(b.Right),
        NegateNode negate => ReliesOnPrecedence(negate.Operand),
        GroupNode group => ReliesOnPrecedence(group.Inner),
        _ => false,
    };

    private static bool IsProductOrQuotient(ArithmeticNode node) =>
        node is BinaryNode { Operator: BinaryOperator.Multiply or BinaryOperator.Divide };

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "×",
        _ => "÷",
    };
}
