using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Scoring;

/// <summary>
/// Match weights of the generic file linkage: the prior's log-odds plus each comparison level's log2(m/u). The
/// <c>exact</c> level of a name comparison is adjusted by how common the agreeing value is: its u is scaled by the
/// value's frequency relative to the average frequency of agreeing values, so the level's mean u stays what was
/// estimated while 佐藤 = 佐藤 counts for less and 勅使河原 = 勅使河原 for more.
/// </summary>
public sealed class FieldScorer
{
    private readonly IReadOnlyList<FieldComparison> comparisons;
    private readonly double[][] weights;
    private readonly double[][] m;
    private readonly double[][] u;
    private readonly Dictionary<string, double>?[] termWeights;

    public FieldScorer(IReadOnlyList<FieldComparison> comparisons, double[][] m, double[][] u, double prior, IReadOnlyList<PreparedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(records);
        this.comparisons = comparisons;
        this.m = m;
        this.u = u;
        PriorWeight = Math.Log2(prior / (1 - prior));
        weights = new double[comparisons.Count][];
        termWeights = new Dictionary<string, double>?[comparisons.Count];
        for (var c = 0; c < comparisons.Count; c++)
        {
            var levels = comparisons[c].Levels.Count;
            weights[c] = new double[levels];
            for (var l = 0; l < levels - 1; l++)
            {
                weights[c][l] = Math.Log2(m[c][l] / u[c][l]);
            }

            if (comparisons[c].TermFrequencyValue is { } value)
            {
                termWeights[c] = TermWeights(records.Select(value), m[c][0], u[c][0]);
            }
        }
    }

    /// <summary>log2(λ / (1 − λ)): the weight a pair starts from before any comparison.</summary>
    public double PriorWeight { get; }

    public IReadOnlyList<FieldComparison> Comparisons => comparisons;

    /// <summary>The pair's levels, one per comparison.</summary>
    public void Levels(PreparedRecord a, PreparedRecord b, Span<byte> levels)
    {
        for (var c = 0; c < comparisons.Count; c++)
        {
            levels[c] = (byte)comparisons[c].Compare(a, b);
        }
    }

    /// <summary>The total match weight of a pair (prior included).</summary>
    public double Score(PreparedRecord a, PreparedRecord b)
    {
        Span<byte> levels = stackalloc byte[comparisons.Count];
        Levels(a, b, levels);
        return Score(a, levels);
    }

    /// <summary>The total match weight from a pair's levels; <paramref name="a"/> supplies the agreeing value for term frequencies.</summary>
    public double Score(PreparedRecord a, ReadOnlySpan<byte> levels)
    {
        var total = PriorWeight;
        for (var c = 0; c < levels.Length; c++)
        {
            total += Weight(c, levels[c], a);
        }

        return total;
    }

    /// <summary>Each comparison's level and weight: the waterfall of one pair.</summary>
    public MatchExplanation Explain(PreparedRecord a, PreparedRecord b)
    {
        Span<byte> levels = stackalloc byte[comparisons.Count];
        Levels(a, b, levels);
        var parts = new List<Contribution> { new("prior", "prior", PriorWeight) };
        for (var c = 0; c < comparisons.Count; c++)
        {
            parts.Add(new Contribution(comparisons[c].Id, comparisons[c].Levels[levels[c]], Weight(c, levels[c], a)));
        }

        return new MatchExplanation(parts.Sum(p => p.Weight), parts);
    }

    /// <summary>The model as data: each comparison's levels with m and u (term-frequency adjustment applied at scoring).</summary>
    public LinkageModel ToModel(string version, double linkThreshold, double reviewThreshold) =>
        new(version, linkThreshold, reviewThreshold, [.. comparisons.Select((c, i) => new Comparison(c.Id, [.. c.Levels.Select((l, j) => new ComparisonLevel(l, m[i][j], u[i][j]))]))]);

    private double Weight(int c, int level, PreparedRecord a)
    {
        if (level == 0 && termWeights[c] is { } tf && comparisons[c].TermFrequencyValue is { } value && tf.TryGetValue(value(a), out var w))
        {
            return w;
        }

        return weights[c][level];
    }

    /// <summary>
    /// log2(m / u_v) per value, u_v = u · tf(v) / E[tf | agreement]. A random agreeing pair has value v with chance
    /// tf(v)² / Σ tf², so E[tf | agreement] = Σ tf³ / Σ tf².
    /// </summary>
    private static Dictionary<string, double> TermWeights(IEnumerable<string> values, double m, double u)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        foreach (var v in values)
        {
            if (v.Length == 0)
            {
                continue;
            }

            counts[v] = counts.GetValueOrDefault(v) + 1;
            n++;
        }

        double sum2 = 0, sum3 = 0;
        foreach (var count in counts.Values)
        {
            var tf = (double)count / n;
            sum2 += tf * tf;
            sum3 += tf * tf * tf;
        }

        var mean = sum2 == 0 ? 1 : sum3 / sum2;
        var result = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        foreach (var (value, count) in counts)
        {
            var tf = (double)count / n;
            var adjusted = Math.Clamp(u * tf / mean, 1e-12, 1);
            result[value] = Math.Log2(m / adjusted);
        }

        return result;
    }
}
