using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Training;

/// <summary>
/// Trains the registry pipeline's model on its own data: u from random (feed record, registry record) pairs, m by EM
/// on the candidate pairs of two blocking rules (same birth date, with birth date left out; same reading, with the
/// name left out) and the prior by EM on all candidates. The comparisons, levels and thresholds of the starting model
/// are kept; only m and u change, so the resolver and its twin guard work as before.
/// </summary>
public static class RegistryTraining
{
    private static readonly string[] Order = ["name", "birth_date", "sex", "address", "atena_no"];

    /// <summary>At most this many distinct feed identities are used to train.</summary>
    public const int MaxTrainingIdentities = 60_000;

    /// <param name="maxIdentities">
    /// About this many distinct feed identities (every n-th, n = identities / this, rounded down) give the candidate pairs EM sees; m and the prior
    /// are shares, which a sample of this size estimates as well as a city's millions of pairs do.
    /// </param>
    public static RegistryTrainingResult Train(IReadOnlyList<LinkRecord> records, LinkageModel start, int seed = 20261128, int maxIdentities = MaxTrainingIdentities)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIdentities, 1);
        var spine = records.Where(r => r.IsRegistry).ToList();
        var distinct = records.Where(r => !r.IsRegistry).DistinctBy(r => (r.AtenaNo, r.Name, r.BirthDate, r.Sex, r.Address)).ToList();

        // m, u and the prior are proportions: a deterministic sample of the feed identities estimates them as well as
        // all of them do, and keeps training a few seconds at city scale.
        var stride = Math.Max(1, distinct.Count / maxIdentities);
        var others = stride == 1 ? distinct : distinct.Where((_, i) => i % stride == 0).ToList();
        var spineKeys = new LinkKeys[spine.Count];
        Parallel.For(0, spine.Count, i => spineKeys[i] = LinkKeys.Cached(spine[i]));
        var otherKeys = new LinkKeys[others.Count];
        Parallel.For(0, others.Count, i => otherKeys[i] = LinkKeys.Cached(others[i]));
        // The department identities hold every department address (registry rows are not counted).
        var municipality = OwnMunicipality.Of(distinct);
        var comparisons = Order.Select(start.Comparison).ToList();
        var sizes = comparisons.Select(c => c.Levels.Count).ToArray();
        var m0 = comparisons.Select(c => c.Levels.Select(l => l.M).ToArray()).ToArray();
        var u0 = comparisons.Select(c => c.Levels.Select(l => l.U).ToArray()).ToArray();

        void Levels(int o, int s, Span<byte> levels)
        {
            var a = others[o];
            var b = spine[s];
            levels[0] = (byte)Index(comparisons[0], PairComparer.Name(otherKeys[o], spineKeys[s]));
            // A birth date outside a record's window is trained as what it weighs: a different birth date.
            var birth = PairComparer.BirthDate(a, b);
            levels[1] = (byte)Index(comparisons[1], birth == PairComparer.OutsideWindow ? PairComparer.OutsideWindowWeighsAs : birth);
            levels[2] = (byte)Index(comparisons[2], PairComparer.Sex(a.Sex, b.Sex));
            levels[3] = (byte)Index(comparisons[3], PairComparer.Address(otherKeys[o], spineKeys[s], municipality));
            levels[4] = (byte)Index(comparisons[4], PairComparer.Identifier(a.AtenaNo, b.AtenaNo));
        }

        var levels = new byte[Order.Length];

        // u: random pairs of a feed record and a registry record.
        var sampled = new ComparisonPatterns(sizes);
        if (spine.Count > 0 && others.Count > 0)
        {
            var random = new Random(seed);
            var n = (int)Math.Min(300_000L, (long)spine.Count * others.Count);
            for (var i = 0; i < n; i++)
            {
                Levels(random.Next(others.Count), random.Next(spine.Count), levels);
                sampled.Add(levels);
            }
        }

        var u = UnblockedSampler.EstimateU(sampled, u0);

        // Candidate pairs per rule.
        var byBirth = Index(spine, (r, _) => r.BirthDate?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
        var byReading = Index(spine, (_, i) => spineKeys[i].Reading.Length > 0 ? spineKeys[i].Reading : null);
        var birthPatterns = new ComparisonPatterns(sizes);
        var readingPatterns = new ComparisonPatterns(sizes);
        var all = new ComparisonPatterns(sizes);
        var seen = new HashSet<int>();
        for (var o = 0; o < others.Count; o++)
        {
            seen.Clear();
            var birth = others[o].BirthDate?.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            if (birth is not null && byBirth.TryGetValue(birth, out var sameBirth) && sameBirth.Count <= 400)
            {
                foreach (var s in sameBirth)
                {
                    Levels(o, s, levels);
                    all.Add(levels);
                    seen.Add(s);
                    levels[1] = (byte)(sizes[1] - 1);
                    birthPatterns.Add(levels);
                }
            }

            if (otherKeys[o].Reading.Length > 0 && byReading.TryGetValue(otherKeys[o].Reading, out var sameReading) && sameReading.Count <= 400)
            {
                foreach (var s in sameReading)
                {
                    Levels(o, s, levels);
                    if (seen.Add(s))
                    {
                        all.Add(levels);
                    }

                    levels[0] = (byte)(sizes[0] - 1);
                    readingPatterns.Add(levels);
                }
            }
        }

        var prior0 = all.Total == 0 ? 0.1 : Math.Clamp((double)others.Count / all.Total, 1e-4, 0.9);
        var byBirthRun = ExpectationMaximisation.Run(birthPatterns, m0, u, prior0);
        var byReadingRun = ExpectationMaximisation.Run(readingPatterns, m0, u, prior0);
        var m = new double[Order.Length][];
        for (var c = 0; c < Order.Length; c++)
        {
            m[c] = c == 0 ? byBirthRun.M[c] : c == 1 ? byReadingRun.M[c] : [.. byBirthRun.M[c].Zip(byReadingRun.M[c], (x, y) => (x + y) / 2)];
        }

        var priorRun = ExpectationMaximisation.Run(all, m, u, prior0, new EmOptions(FixM: true));
        var trained = start with
        {
            Version = start.Version + "-em",
            Municipality = municipality,
            Comparisons = [.. start.Comparisons.Select(c =>
            {
                var i = Array.IndexOf(Order, c.Id);
                return i < 0 ? c : c with { Levels = [.. c.Levels.Select((l, j) => l.Id == "missing" ? l : l with { M = m[i][j], U = u[i][j] })] };
            })],
        };
        var runs = new[] { byBirthRun, byReadingRun, priorRun };
        return new RegistryTrainingResult(trained, priorRun.Prior, runs.All(r => r.Converged), runs.Sum(r => r.Iterations), sampled.Total, all.Total);
    }

    private static int Index(Comparison comparison, string level)
    {
        for (var i = 0; i < comparison.Levels.Count; i++)
        {
            if (comparison.Levels[i].Id == level)
            {
                return i;
            }
        }

        throw new ArgumentException($"comparison {comparison.Id} has no level {level}", nameof(level));
    }

    private static Dictionary<string, List<int>> Index(List<LinkRecord> spine, Func<LinkRecord, int, string?> key)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < spine.Count; i++)
        {
            if (key(spine[i], i) is { } k)
            {
                if (!index.TryGetValue(k, out var list))
                {
                    list = [];
                    index[k] = list;
                }

                list.Add(i);
            }
        }

        return index;
    }
}

/// <summary>The trained model, the prior among candidate pairs, whether every EM run converged, and the pair counts.</summary>
public sealed record RegistryTrainingResult(LinkageModel Model, double Prior, bool Converged, int Iterations, long SampledPairs, long CandidatePairs);
