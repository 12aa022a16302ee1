namespace Mimamori.Linkage.Training;

/// <summary>
/// Comparison vectors counted by pattern: millions of pairs fall on a few hundred distinct vectors of levels, and EM
/// only needs each vector once with its count. A vector holds one level index per comparison (at most 16
/// comparisons of at most 16 levels each, packed four bits apiece).
/// </summary>
public sealed class ComparisonPatterns
{
    private readonly Dictionary<ulong, long> counts = [];

    /// <param name="levelCounts">The number of levels of each comparison; the last level of each is <c>missing</c>.</param>
    public ComparisonPatterns(IReadOnlyList<int> levelCounts)
    {
        ArgumentNullException.ThrowIfNull(levelCounts);
        if (levelCounts.Count > 16 || levelCounts.Any(n => n is < 2 or > 16))
        {
            throw new ArgumentException("at most 16 comparisons of 2 to 16 levels each", nameof(levelCounts));
        }

        LevelCounts = levelCounts;
    }

    public IReadOnlyList<int> LevelCounts { get; }

    public int Comparisons => LevelCounts.Count;

    /// <summary>The number of pairs added.</summary>
    public long Total { get; private set; }

    /// <summary>The distinct vectors and how many pairs have each.</summary>
    public IEnumerable<(byte[] Levels, long Count)> Patterns => counts.Select(kv => (Unpack(kv.Key), kv.Value));

    /// <summary>Counts one pair's vector.</summary>
    public void Add(ReadOnlySpan<byte> levels, long count = 1)
    {
        var key = Pack(levels);
        counts[key] = counts.GetValueOrDefault(key) + count;
        Total += count;
    }

    /// <summary>Adds every pair of another set of patterns with the same comparisons.</summary>
    public void AddAll(ComparisonPatterns other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, count) in other.counts)
        {
            counts[key] = counts.GetValueOrDefault(key) + count;
            Total += count;
        }
    }

    /// <summary>The share of pairs on each level of each comparison (the missing level excluded and given 1).</summary>
    public double[][] LevelShares(double[][]? prior = null, double priorStrength = 0)
    {
        var tallies = LevelCounts.Select(n => new double[n]).ToArray();
        foreach (var (key, count) in counts)
        {
            var levels = Unpack(key);
            for (var c = 0; c < levels.Length; c++)
            {
                tallies[c][levels[c]] += count;
            }
        }

        var shares = new double[Comparisons][];
        for (var c = 0; c < Comparisons; c++)
        {
            var n = LevelCounts[c];
            var present = 0.0;
            for (var l = 0; l < n - 1; l++)
            {
                present += tallies[c][l];
            }

            shares[c] = new double[n];
            for (var l = 0; l < n - 1; l++)
            {
                var p = prior is null ? 1.0 / (n - 1) : prior[c][l];
                shares[c][l] = (tallies[c][l] + (priorStrength * p)) / Math.Max(present + priorStrength, 1e-12);
            }

            shares[c][n - 1] = 1;
        }

        return shares;
    }

    private ulong Pack(ReadOnlySpan<byte> levels)
    {
        ulong key = 0;
        for (var c = 0; c < levels.Length; c++)
        {
            key |= (ulong)levels[c] << (4 * c);
        }

        return key;
    }

    private byte[] Unpack(ulong key)
    {
        var levels = new byte[Comparisons];
        for (var c = 0; c < levels.Length; c++)
        {
            levels[c] = (byte)((key >> (4 * c)) & 0xF);
        }

        return levels;
    }
}
