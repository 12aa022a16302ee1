namespace Mimamori.Synthetic;

/// <summary>Sampling helpers on a seeded <see cref="Random"/>, and a stateless hash for per-person decisions.</summary>
internal static class Rand
{
    public static bool Chance(this Random rng, double p) => rng.NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public static double Normal(this Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Normal(this Random rng, double mean, double sd) => mean + (sd * rng.Normal());

    /// <summary>Poisson by multiplication; the rates used here are small.</summary>
    public static int Poisson(this Random rng, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 30)
        {
            return Math.Max(0, (int)Math.Round(rng.Normal(lambda, Math.Sqrt(lambda))));
        }

        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = rng.NextDouble();
        while (p > limit)
        {
            k++;
            p *= rng.NextDouble();
        }

        return k;
    }

    public static int Binomial(this Random rng, int n, double p)
    {
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            if (rng.NextDouble() < p)
            {
                k++;
            }
        }

        return k;
    }

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>An index drawn from cumulative weights (ascending, last = total).</summary>
    public static int PickCumulative(this Random rng, double[] cumulative)
    {
        var x = rng.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, cumulative.Length - 1);
    }

    /// <summary>An index drawn from plain weights.</summary>
    public static int PickWeighted(this Random rng, ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    public static double[] Cumulative(ReadOnlySpan<double> weights)
    {
        var c = new double[weights.Length];
        double sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            c[i] = sum;
        }

        return c;
    }

    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>
    /// A uniform number in [0, 1) from a seed and three integers, without state: the same person in the same feed
    /// always gets the same draw, whatever order rows are written in.
    /// </summary>
    public static double Unit(int seed, int a, int b, int c)
    {
        var x = SplitMix((ulong)(uint)seed);
        x = SplitMix(x ^ (ulong)(uint)a);
        x = SplitMix(x ^ ((ulong)(uint)b << 21));
        x = SplitMix(x ^ ((ulong)(uint)c << 42));
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A seed for an independent stream, derived from the run seed and a stream number.</summary>
    public static int Derive(int seed, int stream) => (int)(SplitMix(((ulong)(uint)seed << 16) ^ (ulong)(uint)stream) & 0x7FFF_FFFF);

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
