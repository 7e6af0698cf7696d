using System.Globalization;
using System.Numerics;

namespace StudyGuru.Infrastructure.Ai.Offline.Arithmetic;

/// <summary>
/// An exact rational number on <see cref="BigInteger"/>: no overflow, and division that is not exact
/// stays a fraction in lowest terms. The denominator is always positive.
/// </summary>
internal readonly record struct ExactNumber
{
    /// <summary>Decimals shown when the fraction has no short exact decimal form.</summary>
    private const int ApproximateDecimals = 6;

    /// <summary>A terminating decimal longer than this is shown as an approximation.</summary>
    private const int MaxExactDecimals = 12;

    private ExactNumber(BigInteger numerator, BigInteger denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public bool IsInteger => Denominator.IsOne;

    public bool IsZero => Numerator.IsZero;

    public static ExactNumber FromInteger(BigInteger value) => new(value, BigInteger.One);

    public static ExactNumber operator +(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static ExactNumber operator -(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static ExactNumber operator *(ExactNumber a, ExactNumber b) =>
        Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static ExactNumber operator -(ExactNumber a) => new(-a.Numerator, a.Denominator);

    /// <exception cref="DivideByZeroException">b is zero.</exception>
    public static ExactNumber operator /(ExactNumber a, ExactNumber b) =>
        b.IsZero ? throw new DivideByZeroException() : Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>"84", "-7/2", ...</summary>
    public override string ToString() => IsInteger
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    /// <summary>
    /// The decimal form of a fraction: exact ("3.5") when it terminates within <see cref="MaxExactDecimals"/>
    /// digits, else rounded to <see cref="ApproximateDecimals"/> digits with <paramref name="isExact"/> false.
    /// </summary>
    public string ToDecimalString(out bool isExact)
    {
        var decimals = TerminatingDecimals();
        isExact = decimals is not null;
        var places = decimals ?? ApproximateDecimals;
        var scale = BigInteger.Pow(10, places);
        // Round half away from zero on the absolute value, then put the sign back.
        var scaled = (BigInteger.Abs(Numerator) * scale * 2 + Denominator) / (Denominator * 2);
        var digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(places + 1, '0');
        var text = places == 0 ? digits : $"{digits[..^places]}.{digits[^places..]}";
        return Numerator.Sign < 0 ? "-" + text : text;
    }

    private static ExactNumber Create(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return divisor.IsOne || divisor.IsZero
            ? new ExactNumber(numerator, denominator)
            : new ExactNumber(numerator / divisor, denominator / divisor);
    }

    /// <summary>The number of decimals of the exact decimal form, or null when it is too long or never ends.</summary>
    private int? TerminatingDecimals()
    {
        var rest = Denominator;
        int twos = 0, fives = 0;
        while (rest.IsEven)
        {
            rest /= 2;
            twos++;
        }

        while ((rest % 5).IsZero)
        {
            rest /= 5;
            fives++;
        }

        var decimals = Math.Max(twos, fives);
        return rest.IsOne && decimals <= MaxExactDecimals ? decimals : null;
    }
}
