using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Blocking;

/// <summary>
/// Pair recall of blocking: of the pairs of records that are one person, the share each rule puts in one scored block,
/// and the share that any rule does (the most that scoring can find). Measured when the truth is known (a synthetic
/// municipality or benchmark); otherwise estimated from the candidates' match probabilities, which can only see the
/// matches some rule found, so the estimate is recall relative to all rules together and the union is 1 by construction.
/// </summary>
public static class BlockingRecall
{
    /// <summary>Measured against <paramref name="truth"/>, one label per record (records with the same label are one person).</summary>
    public static RecallFigures Measure(CandidatePairs candidates, IReadOnlyList<PreparedRecord> records, IReadOnlyList<int> truth, LinkMode mode)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.Count != records.Count)
        {
            throw new ArgumentException($"{truth.Count} truth labels for {records.Count} records", nameof(truth));
        }

        var order = Enumerable.Range(0, records.Count).OrderBy(i => truth[i]).ThenBy(i => i).ToArray();
        var rules = candidates.Keys.Count;
        var found = new long[rules];
        long union = 0, pairs = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && truth[order[end]] == truth[order[start]])
            {
                end++;
            }

            for (var x = start; x < end; x++)
            {
                for (var y = x + 1; y < end; y++)
                {
                    var a = order[x];
                    var b = order[y];
                    if (mode == LinkMode.Link && records[a].File == records[b].File)
                    {
                        continue;
                    }

                    pairs++;
                    var any = false;
                    for (var k = 0; k < rules; k++)
                    {
                        if (candidates.Blocks(k, a, b))
                        {
                            found[k]++;
                            any = true;
                        }
                    }

                    union += any ? 1 : 0;
                }
            }

            start = end;
        }

        double Share(long n) => pairs == 0 ? 1 : (double)n / pairs;
        return new RecallFigures("measured", [.. found.Select(Share)], Share(union), pairs);
    }

    /// <summary>Estimated from each candidate's total match weight (bits): the expected matches a rule blocks over those all rules do.</summary>
    public static RecallFigures Estimate(CandidatePairs candidates, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var rules = candidates.Keys.Count;
        var found = new double[rules];
        double total = 0;
        for (var p = 0; p < candidates.Count; p++)
        {
            var probability = 1 / (1 + Math.Pow(2, -weights[p]));
            total += probability;
            var mask = candidates.Rules[p];
            for (var k = 0; k < rules; k++)
            {
                if ((mask & (1u << k)) != 0)
                {
                    found[k] += probability;
                }
            }
        }

        return new RecallFigures("estimated", [.. found.Select(f => total == 0 ? 1 : f / total)], 1, (long)Math.Round(total));
    }
}

/// <summary>Pair recall per rule and of all rules together; how it was obtained; the true (or expected) matching pairs it is out of.</summary>
public sealed record RecallFigures(string Kind, IReadOnlyList<double> PerRule, double Union, long MatchingPairs);
