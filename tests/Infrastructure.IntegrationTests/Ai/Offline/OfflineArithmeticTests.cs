namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;

public sealed class OfflineArithmeticTests
{
    [TestCase("What is 12*(3+4)?", "12 × (3 + 4) = 84. Multiply 12 by the sum of 3 and 4.", TestName = "StreamAsync_ParenthesesInsideWords_ExactAnswerWithExplanation")]
    [TestCase("2+3*4", "2 + 3 × 4 = 14.", TestName = "StreamAsync_MultiplicationBeforeAddition_Precedence")]
    [TestCase("(2+3)*4", "(2 + 3) × 4 = 20.", TestName = "StreamAsync_Parentheses_OverridePrecedence")]
    [TestCase("10-4-3", "10 - 4 - 3 = 3.", TestName = "StreamAsync_Subtraction_LeftAssociative")]
    [TestCase("100/10/5", "100 ÷ 10 ÷ 5 = 2.", TestName = "StreamAsync_Division_LeftAssociative")]
    [TestCase("-5+3", "-5 + 3 = -2.", TestName = "StreamAsync_LeadingUnaryMinus_Negative")]
    [TestCase("3 - -4", "3 - -4 = 7.", TestName = "StreamAsync_MinusNegative_Adds")]
    [TestCase("-(2+3)*4", "-(2 + 3) × 4 = -20.", TestName = "StreamAsync_NegatedGroup_Negative")]
    [TestCase("((1+2)*(3+4))*2", "((1 + 2) × (3 + 4)) × 2 = 42.", TestName = "StreamAsync_NestedParentheses_Evaluated")]
    [TestCase("7/2", "7 ÷ 2 = 7/2 = 3.5.", TestName = "StreamAsync_InexactDivision_ExactFractionAndDecimal")]
    [TestCase("1/3", "1 ÷ 3 = 1/3 ≈ 0.333333.", TestName = "StreamAsync_RepeatingDivision_FractionAndRoundedDecimal")]
    [TestCase("-7/2", "-7 ÷ 2 = -7/2 = -3.5.", TestName = "StreamAsync_NegativeInexactDivision_NegativeFraction")]
    [TestCase("2/3*3", "2 ÷ 3 × 3 = 2.", TestName = "StreamAsync_FractionTimesDenominator_ExactInteger")]
    [TestCase("9223372036854775807 + 1", "9223372036854775807 + 1 = 9223372036854775808.", TestName = "StreamAsync_PastLongMaxValue_NoOverflow")]
    [TestCase("99999999999999999999 * 99999999999999999999", "99999999999999999999 × 99999999999999999999 = 9999999999999999999800000000000000000001.", TestName = "StreamAsync_HugeProduct_ExactBigInteger")]
    [TestCase("Please compute 6 * 7 for me", "6 × 7 = 42. Multiply 6 by 7.", TestName = "StreamAsync_ExpressionBetweenWords_Found")]
    [TestCase("I got 2+2 but the book says 3*(1+1)+1", "3 × (1 + 1) + 1 = 7.", TestName = "StreamAsync_TwoExpressions_LongestWins")]
    [TestCase("what is 8 ÷ 2 × 3", "8 ÷ 2 × 3 = 12.", TestName = "StreamAsync_UnicodeOperators_Understood")]
    [TestCase("Is (4+5 right?", "4 + 5 = 9.", TestName = "StreamAsync_UnbalancedParenthesis_LongestValidSpan")]
    public async Task StreamAsync_ArithmeticMessage_AnswerStartsWithExactResult(string message, string expectedStart)
    {
        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(message))).TextOf();

        Assert.That(answer, Does.StartWith(expectedStart));
    }

    [TestCase("5/0")]
    [TestCase("What is 1/(2-2)?")]
    [TestCase("3 + 4 / 0 * 2")]
    public async Task StreamAsync_DivisionByZero_SentenceInsteadOfNumber(string message)
    {
        var chunks = await OfflineModels.Create().CollectAsync(ChatRequests.Text(message));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.TextOf(), Does.StartWith("Division by zero is undefined"));
            Assert.That(chunks[^1].FinishReason, Is.EqualTo("stop"));
        }
    }

    [TestCase("Is 2.5 + 1 right?")]
    [TestCase("Compare chapters 3 and 4")]
    [TestCase("What is -5?")]
    [TestCase("Explain (7)")]
    [TestCase("x + y = z")]
    public async Task StreamAsync_NoIntegerExpression_TutorAnswer(string message)
    {
        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(message))).TextOf();

        using (Assert.EnterMultipleScope())
        {
            // Arithmetic answers are one short line; the tutor answer has numbered steps and 60+ words.
            Assert.That(answer, Does.Contain("1. "));
            Assert.That(answer.Split(' ', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThanOrEqualTo(60));
        }
    }

    [Test]
    public async Task StreamAsync_PrecedenceWithoutParentheses_ExplainsTheRule()
    {
        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text("2+3*4"))).TextOf();

        Assert.That(answer, Does.Contain("Multiplication and division come before addition and subtraction."));
    }

    [Test]
    public async Task StreamAsync_LongRunOfNumbers_AnswersQuickly()
    {
        var message = string.Join(' ', Enumerable.Repeat("1 2 3 (", 1000)) + " 4 + 5";
        var started = System.Diagnostics.Stopwatch.StartNew();

        var answer = (await OfflineModels.Create().CollectAsync(ChatRequests.Text(message))).TextOf();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Does.StartWith("4 + 5 = 9."));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
    }
}
