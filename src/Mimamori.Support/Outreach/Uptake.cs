namespace Mimamori.Support.Outreach;

/// <summary>Uptake of one wording: how many were sent, how many applied, and a 95% Wilson score interval.</summary>
public sealed record Uptake(string Variant, long Sent, long Applied, double Rate, double Low, double High)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Uptake with its Wilson interval. Wilson rather than the normal approximation because campaigns are small and
    /// uptake rates near 0 give the normal interval negative lower bounds and zero width.
    /// </summary>
    public static Uptake Of(string variant, long sent, long applied)
    {
        if (sent < 0 || applied < 0 || applied > sent)
        {
            throw new ArgumentOutOfRangeException(nameof(applied), $"applied {applied} of {sent}");
        }

        if (sent == 0)
        {
            return new Uptake(variant, 0, 0, 0, 0, 1);
        }

        var (low, high) = Wilson(applied, sent, Z95);
        return new Uptake(variant, sent, applied, (double)applied / sent, low, high);
    }

    /// <summary>The Wilson score interval for <paramref name="successes"/> out of <paramref name="n"/>.</summary>
    public static (double Low, double High) Wilson(long successes, long n, double z)
    {
        if (n <= 0)
        {
            return (0, 1);
        }

        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / denominator;
        // At 0 or n successes the bound is exactly 0 or 1; rounding must not put the observed rate outside its interval.
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == n ? 1 : Math.Min(1, centre + half));
    }
}
