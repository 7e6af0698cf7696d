using System.Globalization;
using System.Numerics;

namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>Splits a message into arithmetic tokens; whitespace is skipped, everything else becomes a break.</summary>
internal static class ArithmeticLexer
{
    public static List<ArithmeticToken> Tokenize(string text)
    {
        var tokens = new List<ArithmeticToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }

            tokens.Add(new ArithmeticToken(KindOf(c)));
            i++;
        }

        return tokens;
    }

    private static ArithmeticToken ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var end = i;
        // "2.5", "1,000" and "3x" are not integers of an expression: swallow the whole word as a break so
        // that "2.5 + 1" is not read as "5 + 1".
        if (i < text.Length && (IsDecimalSeparatorBeforeDigit(text, i) || char.IsLetter(text[i])))
        {
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || IsDecimalSeparatorBeforeDigit(text, i)))
            {
                i++;
            }

            return new ArithmeticToken(ArithmeticTokenKind.Break);
        }

        var value = BigInteger.Parse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture);
        return new ArithmeticToken(ArithmeticTokenKind.Number, value);
    }

    private static bool IsDecimalSeparatorBeforeDigit(string text, int i) =>
        text[i] is '.' or ',' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);

    private static ArithmeticTokenKind KindOf(char c) => c switch
    {
        '+' => ArithmeticTokenKind.Plus,
        '-' or '\u2212' => ArithmeticTokenKind.Minus,
        '*' or '\u00d7' => ArithmeticTokenKind.Times,
        '/' or '\u00f7' => ArithmeticTokenKind.Divide,
        '(' => ArithmeticTokenKind.OpenParen,
        ')' => ArithmeticTokenKind.CloseParen,
        _ => ArithmeticTokenKind.Break,
    };
}
