using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Specs;
using Mimamori.Linkage.Training;

namespace Mimamori.Linkage.Clustering;

/// <summary>
/// Generic linkage of data staff's own lists, with no registry to lean on: prepare keys → block (several rules) →
/// compare → estimate u on random pairs and m and the prior by EM on the candidate pairs → score (term-frequency
/// adjusted names) → cluster with a guard against chaining. Every record gets a cluster.
/// </summary>
public static class FileLinkage
{
    /// <summary>Links the records of the spec's files; <paramref name="options"/> defaults suit lists of tens to millions of records.</summary>
    public static FileLinkageResult Run(IReadOnlyList<FieldRecord> input, LinkMode mode, FileLinkageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new FileLinkageOptions();
        var timings = new List<StageTiming>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        void Lap(string stage)
        {
            var now = Environment.CpuUsage.TotalTime;
            timings.Add(new StageTiming(stage, watch.Elapsed.TotalSeconds, (now - cpu).TotalSeconds));
            cpu = now;
            watch.Restart();
        }

        var records = new PreparedRecord[input.Count];
        var keys = new PreparedRecord.KeyCache();
        Parallel.For(0, input.Count, i => records[i] = PreparedRecord.Of(i, input[i], keys));
        var comparisons = FieldComparisons.For(records);
        if (comparisons.Count == 0)
        {
            throw new LinkSpecException("No role is filled in at least two records, so there is nothing to compare.");
        }

        var sizes = comparisons.Select(c => c.Levels.Count).ToArray();
        if (comparisons.Count > 16)
        {
            throw new LinkSpecException($"{comparisons.Count} comparisons are more than the 16 a model can hold; list fewer \"other\" columns.");
        }

        Lap("prepare");
        var candidates = CandidatePairs.Find(records, BlockingRule.ForFiles, mode, options.MaxBlock);
        var measured = options.Truth is { } truth ? BlockingRecall.Measure(candidates, records, truth, mode) : null;
        options.OnBlocked?.Invoke(WithRecall(candidates, measured));
        Lap("block");

        // Comparison vectors of the candidates, kept flat: one byte per comparison per pair.
        var width = comparisons.Count;
        var levels = new byte[(long)candidates.Count * width];
        var blockedPatterns = new ComparisonPatterns(sizes);
        var scratch = new byte[width];
        var noScorer = new FieldScorer(comparisons, Ones(sizes), Ones(sizes), 0.5, []);
        Parallel.For(0, candidates.Count, p => noScorer.Levels(records[candidates.Left[p]], records[candidates.Right[p]], levels.AsSpan((int)((long)p * width), width)));
        for (var p = 0; p < candidates.Count; p++)
        {
            blockedPatterns.Add(levels.AsSpan(p * width, width));
        }

        Lap("compare");

        // u from random pairs (all pairs when few).
        var (m0, u0) = Starting(comparisons);
        var sampled = new ComparisonPatterns(sizes);
        var randomPairs = UnblockedSampler.Pairs(records.Length, options.SamplePairs, (a, b) => mode == LinkMode.Dedupe || records[a].File != records[b].File, options.Seed).ToArray();
        var sampledLevels = new byte[(long)randomPairs.Length * width];
        Parallel.For(0, randomPairs.Length, p => noScorer.Levels(records[randomPairs[p].A], records[randomPairs[p].B], sampledLevels.AsSpan(p * width, width)));
        for (var p = 0; p < randomPairs.Length; p++)
        {
            sampled.Add(sampledLevels.AsSpan(p * width, width));
        }

        var u = UnblockedSampler.EstimateU(sampled, u0);
        Lap("sample_u");

        // m by EM on the pairs of each training rule, with the comparisons that rule blocks on left out (its pairs
        // agree on them by construction, so they would teach EM that "match" means "same block"); each comparison's
        // m is the mean over the rules that did not block on it. Then the prior: EM on all candidates, m and u fixed.
        var mSum = sizes.Select(n => new double[n]).ToArray();
        var mRuns = new int[sizes.Length];
        var runs = new List<EmResult>();
        var rulePrior = candidates.Count == 0 ? 0.1 : Math.Clamp(records.Length / 10.0 / candidates.Count, 1e-4, 0.5);
        foreach (var (ruleId, masked) in TrainingRules)
        {
            var rule = IndexOfRule(ruleId);
            var mask = comparisons.Select(c => masked.Contains(c.Id)).ToArray();
            var patterns = new ComparisonPatterns(sizes);
            foreach (var p in candidates.OfRule(rule, options.TrainingPairs))
            {
                levels.AsSpan(p * width, width).CopyTo(scratch);
                for (var c = 0; c < width; c++)
                {
                    if (mask[c])
                    {
                        scratch[c] = (byte)(sizes[c] - 1);
                    }
                }

                patterns.Add(scratch);
            }

            if (patterns.Total == 0 || mask.All(x => x))
            {
                continue;
            }

            var run = ExpectationMaximisation.Run(patterns, m0, u, rulePrior, new EmOptions(PseudoPairs: options.PseudoPairs));
            runs.Add(run);
            for (var c = 0; c < width; c++)
            {
                if (mask[c])
                {
                    continue;
                }

                mRuns[c]++;
                for (var l = 0; l < sizes[c]; l++)
                {
                    mSum[c][l] += run.M[c][l];
                }
            }
        }

        var m = new double[width][];
        for (var c = 0; c < width; c++)
        {
            m[c] = mRuns[c] == 0 ? m0[c] : [.. mSum[c].Select(x => x / mRuns[c])];
        }

        var prior0 = candidates.Count == 0 ? 0.1 : Math.Clamp(records.Length / 10.0 / candidates.Count, 1e-4, 0.5);
        var priorRun = ExpectationMaximisation.Run(blockedPatterns, m, u, prior0, new EmOptions(PseudoPairs: options.PseudoPairs, FixM: true));
        var em = priorRun with { Iterations = runs.Sum(r => r.Iterations) + priorRun.Iterations, Converged = priorRun.Converged && runs.All(r => r.Converged), LastChange = runs.Select(r => r.LastChange).Append(priorRun.LastChange).Max() };
        var scorer = new FieldScorer(comparisons, em.M, u, em.Prior, records);
        Lap("train");

        // Score and cluster.
        var weights = new double[candidates.Count];
        Parallel.For(0, candidates.Count, p => weights[p] = scorer.Score(records[candidates.Left[p]], levels.AsSpan(p * width, width)));
        var links = Enumerable.Range(0, candidates.Count)
            .Where(p => weights[p] >= options.LinkWeight && !FieldComparisons.IsConflict(records[candidates.Left[p]], records[candidates.Right[p]]))
            .Select(p => (candidates.Left[p], candidates.Right[p], weights[p]))
            .ToList();
        bool Conflict(int a, int b) =>
            FieldComparisons.IsConflict(records[a], records[b]) || scorer.Score(records[a], records[b]) < options.ConflictWeight;
        var (cluster, refused) = GuardedClustering.Cluster(records.Length, links, Conflict);
        Lap("score_cluster");

        // How well blocking did: measured when the truth is given, else estimated from the scored candidates.
        var recall = measured ?? BlockingRecall.Estimate(candidates, weights);
        var blocking = WithRecall(candidates, recall);
        var model = scorer.ToModel("files-em-1", options.LinkWeight, options.ConflictWeight);
        return new FileLinkageResult(cluster, model, em, scorer.PriorWeight, blocking, candidates.Count, links.Count, refused, sampled.Total, timings)
        {
            BlockingRecall = recall.Union,
            BlockingRecallKind = recall.Kind,
        };
    }

    /// <summary>The blocking rules EM trains on and the comparisons each leaves out because its pairs agree on them by construction.</summary>
    private static readonly (string Rule, string[] Masked)[] TrainingRules =
    [
        ("birth_date", ["birth_date"]),
        ("name", ["name", "family_name", "given_name"]),
    ];

    /// <summary>The rules that found keys in these records (a list without phone numbers has no phone rule to report), with their recall.</summary>
    private static IReadOnlyList<RuleCount> WithRecall(CandidatePairs candidates, RecallFigures? recall) =>
        [.. candidates.PerRule
            .Select((r, k) => recall is null ? r : r with { Recall = recall.PerRule[k], RecallKind = recall.Kind })
            .Where((_, k) => candidates.Keys[k].KeyCount > 0)];

    private static int IndexOfRule(string id)
    {
        for (var k = 0; k < BlockingRule.ForFiles.Count; k++)
        {
            if (BlockingRule.ForFiles[k].Id == id)
            {
                return k;
            }
        }

        throw new ArgumentException($"no blocking rule {id}", nameof(id));
    }

    /// <summary>Starting m (what a true duplicate usually looks like) and prior u (what chance agreement usually looks like) per level id.</summary>
    private static (double[][] M, double[][] U) Starting(IReadOnlyList<FieldComparison> comparisons)
    {
        var m = new double[comparisons.Count][];
        var u = new double[comparisons.Count][];
        for (var c = 0; c < comparisons.Count; c++)
        {
            var ids = comparisons[c].Levels;
            m[c] = Normalise([.. ids.Select(id => StartM(comparisons[c].Id, id))]);
            u[c] = Normalise([.. ids.Select(id => StartU(comparisons[c].Id, id))]);
        }

        return (m, u);
    }

    private static double StartM(string comparison, string level) => level switch
    {
        "exact" or "agree" => comparison == "postal_code" ? 0.85 : 0.9,
        "reading" or "close" or "one_edit" or "one_digit" => 0.04,
        "swapped" or "initial" or "day_month_swap" or "year_month" => 0.01,
        "disagree" => 0.02,
        "different" when comparison == "birth_date" => 0.005,
        _ => 0.02,
    };

    private static double StartU(string comparison, string level) => level switch
    {
        "exact" => comparison is "sex" ? 0.5 : comparison is "postal_code" or "other" ? 0.01 : 0.001,
        "agree" or "disagree" => 0.5,
        "reading" or "close" or "one_edit" or "one_digit" => 0.002,
        "swapped" or "initial" or "day_month_swap" => 0.0005,
        "year_month" => 0.003,
        _ => 0.99,
    };

    /// <summary>Shares over the levels that carry evidence; the missing level (last) is 1.</summary>
    private static double[] Normalise(double[] values)
    {
        var sum = values.Take(values.Length - 1).Sum();
        var result = values.Select(v => v / sum).ToArray();
        result[^1] = 1;
        return result;
    }

    private static double[][] Ones(int[] sizes) => [.. sizes.Select(n => Enumerable.Repeat(1.0, n).ToArray())];
}

/// <summary>Thresholds and sizes of the generic file linkage.</summary>
/// <param name="LinkWeight">Total match weight (prior included) from which a pair links: 0 is a match probability of one half.</param>
/// <param name="ConflictWeight">A pair of records weighing less than this can never share a cluster, whatever links them.</param>
/// <param name="SamplePairs">Random pairs drawn to estimate u.</param>
/// <param name="TrainingPairs">Pairs per training rule that EM sees at most.</param>
/// <param name="PseudoPairs">Pseudo-pairs smoothing m towards its starting values (matters for short lists).</param>
/// <param name="OnBlocked">Called after blocking, before any scoring, with the pairs per rule (and their measured recall when the truth is given).</param>
/// <param name="Truth">Who each record truly is (one label per record), when known: blocking recall is then measured, not estimated.</param>
public sealed record FileLinkageOptions(double LinkWeight = 6, double ConflictWeight = -4, int MaxBlock = 1000, long SamplePairs = 1_000_000, long TrainingPairs = 2_000_000, int Seed = 20261128, double PseudoPairs = 50, IReadOnlyList<int>? Truth = null, Action<IReadOnlyList<RuleCount>>? OnBlocked = null);

/// <summary>The cluster of each record (index as given), the trained model and how training and clustering went.</summary>
public sealed record FileLinkageResult(
    int[] Cluster,
    LinkageModel Model,
    EmResult Training,
    double PriorWeight,
    IReadOnlyList<RuleCount> Blocking,
    long CandidatePairs,
    int Links,
    int RefusedJoins,
    long SampledPairs,
    IReadOnlyList<StageTiming> Timings)
{
    /// <summary>Pair recall of all blocking rules together (1 when estimated: the estimate cannot see pairs no rule finds).</summary>
    public double BlockingRecall { get; init; } = double.NaN;

    /// <summary><c>measured</c> or <c>estimated</c>, as for each rule.</summary>
    public string BlockingRecallKind { get; init; } = "none";
}

/// <summary>Seconds one stage of a run took, on the clock and of processor time (all threads; on a busy machine the clock says more about the neighbours).</summary>
public sealed record StageTiming(string Stage, double Seconds, double CpuSeconds = double.NaN);
