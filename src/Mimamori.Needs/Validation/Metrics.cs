namespace Mimamori.Needs.Validation;

/// <summary>One bin of a reliability table: how many children, the mean predicted probability and the observed rate.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanPredicted, double Observed);

/// <summary>Precision and recall when a team can look at the top <see cref="Flagged"/> children.</summary>
public sealed record CapacityResult(int Flagged, double Threshold, double Precision, double Recall);

/// <summary>Ranking and calibration measures for probabilities against outcomes.</summary>
public static class Metrics
{
    /// <summary>Average precision: the area under the precision–recall curve as a step function (ties broken pessimistically).</summary>
    public static double PrAuc(IReadOnlyList<(double Score, bool Positive)> items)
    {
        var positives = items.Count(i => i.Positive);
        if (positives == 0)
        {
            return double.NaN;
        }

        // Within a tie, negatives first: a tie must not buy precision.
        var sorted = items.OrderByDescending(i => i.Score).ThenBy(i => i.Positive).ToList();
        double ap = 0;
        var hits = 0;
        for (var k = 0; k < sorted.Count; k++)
        {
            if (sorted[k].Positive)
            {
                hits++;
                ap += (double)hits / (k + 1);
            }
        }

        return ap / positives;
    }

    /// <summary>Expected calibration error over equal-width bins: the count-weighted mean gap between predicted and observed.</summary>
    public static double Ece(IReadOnlyList<(double Probability, bool Positive)> items, int bins = 10) =>
        items.Count == 0 ? double.NaN : Reliability(items, bins).Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.Observed)) / items.Count;

    /// <summary>The reliability table (empty bins left out).</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<(double Probability, bool Positive)> items, int bins = 10)
    {
        var count = new int[bins];
        var sum = new double[bins];
        var pos = new int[bins];
        foreach (var (p, y) in items)
        {
            var b = Math.Clamp((int)(p * bins), 0, bins - 1);
            count[b]++;
            sum[b] += p;
            pos[b] += y ? 1 : 0;
        }

        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                result.Add(new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b], sum[b] / count[b], (double)pos[b] / count[b]));
            }
        }

        return result;
    }

    /// <summary>Precision and recall of the top share of children by score (at least one child).</summary>
    public static CapacityResult AtCapacity(IReadOnlyList<(double Score, bool Positive)> items, double share)
    {
        var k = Math.Max(1, (int)Math.Ceiling(items.Count * share));
        return AtTop(items, k);
    }

    /// <summary>Precision and recall of the top <paramref name="k"/> children by score.</summary>
    public static CapacityResult AtTop(IReadOnlyList<(double Score, bool Positive)> items, int k)
    {
        var positives = items.Count(i => i.Positive);
        var top = items.OrderByDescending(i => i.Score).Take(k).ToList();
        if (top.Count == 0)
        {
            return new CapacityResult(0, double.NaN, double.NaN, double.NaN);
        }

        var hits = top.Count(i => i.Positive);
        return new CapacityResult(top.Count, top[^1].Score, (double)hits / top.Count, positives == 0 ? double.NaN : (double)hits / positives);
    }

    /// <summary>Precision and recall of the children at or above a threshold.</summary>
    public static CapacityResult AtThreshold(IReadOnlyList<(double Score, bool Positive)> items, double threshold)
    {
        var positives = items.Count(i => i.Positive);
        var flagged = items.Where(i => i.Score >= threshold).ToList();
        var hits = flagged.Count(i => i.Positive);
        return new CapacityResult(flagged.Count, threshold, flagged.Count == 0 ? double.NaN : (double)hits / flagged.Count, positives == 0 ? double.NaN : (double)hits / positives);
    }
}
