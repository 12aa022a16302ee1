namespace Mimamori.Linkage.Training;

/// <summary>
/// Estimates u, the chance that two different people agree at each level, from pairs drawn at random without
/// blocking: almost every random pair is two different people, so their level shares are u. When the data are small
/// enough every eligible pair is taken instead of a sample.
/// </summary>
public static class UnblockedSampler
{
    /// <summary>
    /// Pseudo-pairs of the prior u. A level never seen among the sampled pairs keeps a small, not zero, u; and a short
    /// list, whose few pairs include its own duplicates, leans on the prior instead of taking every duplicate for a
    /// coincidence. A sample of a million pairs is hardly moved.
    /// </summary>
    public const double PriorStrength = 1000;

    /// <summary>
    /// Draws up to <paramref name="maxPairs"/> eligible pairs (i &lt; j) of <paramref name="count"/> records, every
    /// eligible pair when there are fewer. Deterministic for a seed.
    /// </summary>
    public static IEnumerable<(int A, int B)> Pairs(int count, long maxPairs, Func<int, int, bool> eligible, int seed)
    {
        ArgumentNullException.ThrowIfNull(eligible);
        var all = (long)count * (count - 1) / 2;
        if (all <= maxPairs)
        {
            for (var i = 0; i < count; i++)
            {
                for (var j = i + 1; j < count; j++)
                {
                    if (eligible(i, j))
                    {
                        yield return (i, j);
                    }
                }
            }

            yield break;
        }

        var random = new Random(seed);
        long drawn = 0;
        long attempts = 0;
        while (drawn < maxPairs && attempts < maxPairs * 20)
        {
            attempts++;
            var i = random.Next(count);
            var j = random.Next(count);
            if (i == j)
            {
                continue;
            }

            var (a, b) = i < j ? (i, j) : (j, i);
            if (!eligible(a, b))
            {
                continue;
            }

            drawn++;
            yield return (a, b);
        }
    }

    /// <summary>u per comparison and level from the pairs' vectors, smoothed towards <paramref name="prior"/>.</summary>
    public static double[][] EstimateU(ComparisonPatterns sampled, double[][] prior)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        return sampled.LevelShares(prior, PriorStrength);
    }
}
