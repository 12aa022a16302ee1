using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Mimamori.Needs.Validation;

namespace Mimamori.Needs.Model;

/// <summary>How to train: the outcome's name and window, the team's capacity, the parameter grid, and the groups to compare.</summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// The process's processor time so far, supplied by the host (this module does no process I/O); training reports
    /// the processor seconds it took when given, 0 otherwise.
    /// </summary>
    public Func<TimeSpan>? ProcessorTime { get; init; }

    /// <summary>The outcome the labels stand for (confirmed_need, futoko_next_year).</summary>
    public string Outcome { get; init; } = "confirmed_need";

    /// <summary>The date the features were computed at.</summary>
    public DateOnly FeaturesAsOf { get; init; }

    /// <summary>In words: when the outcome was observed (e.g. "within 12 months after 2025-12-31").</summary>
    public string OutcomeWindow { get; init; } = string.Empty;

    /// <summary>The share of children a team can look at in a month (0.01 = 1%).</summary>
    public double Capacity { get; init; } = 0.01;

    /// <summary>Candidate parameters; the one with the best AUC on the calibration part is kept.</summary>
    public IReadOnlyList<TreeParameters> Grid { get; init; } = DefaultGrid;

    /// <summary>Per child: group name → value (area, single_parent, ...), for results by group.</summary>
    public IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>? Groups { get; init; }

    public IReadOnlyDictionary<string, double> Bands { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal) { ["high"] = 0.3, ["medium"] = 0.1, ["low"] = 0.03 };

    /// <summary>Fewer positive children than this in the train split and no model is trained: the rules stand alone.</summary>
    public int MinimumPositives { get; init; } = 100;

    /// <summary>Household folds of the train split for cross-fitting (choosing parameters, blend and calibration).</summary>
    public int Folds { get; init; } = 4;

    /// <summary>Folds fitted at the same time (each fit uses one thread).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>At most this many training children (a household sample of the train split when it is larger).</summary>
    public int MaxTrainingChildren { get; init; } = 30_000;

    public static IReadOnlyList<TreeParameters> DefaultGrid { get; } =
    [
        new(16, 300, 0.05, 40),
        new(8, 500, 0.05, 60),
        new(32, 250, 0.04, 100),
    ];
}

/// <summary>A parameter set tried and its AUC on the calibration part.</summary>
public sealed record TriedParameters(TreeParameters Parameters, double CalibrationAuc, double TestAuc, double Seconds);

/// <summary>One group's figures on the test split at the capacity threshold.</summary>
public sealed record GroupResult(string Group, string Value, int Children, int Positives, double Auc, double FlagRate, double Precision, double Recall, double MeanProbability, double ObservedRate);

/// <summary>Everything measured while training, for the model card and evaluation. All figures are on the test split.</summary>
public sealed record ModelReport
{
    public required string Version { get; init; }
    public required string Outcome { get; init; }
    public required DateOnly FeaturesAsOf { get; init; }
    public required string OutcomeWindow { get; init; }
    public required string FeatureVersion { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
    public required TreeParameters Parameters { get; init; }
    public required IReadOnlyList<TriedParameters> Tried { get; init; }
    public required int FitChildren { get; init; }
    public required int CalibrationChildren { get; init; }
    public required int TestChildren { get; init; }
    public required int TestPositives { get; init; }
    public required double Auc { get; init; }
    public required double AucRulesOnly { get; init; }
    public required double AucLogistic { get; init; }
    public required double PrAuc { get; init; }
    public required double Ece { get; init; }
    public required double EceUncalibrated { get; init; }
    public required IReadOnlyList<ReliabilityBin> Reliability { get; init; }
    public required double Capacity { get; init; }
    public required CapacityResult AtCapacity { get; init; }
    public required CapacityResult RulesAtCapacity { get; init; }
    public required IReadOnlyList<GroupResult> GroupResults { get; init; }
    public required IReadOnlyDictionary<string, double> Gaps { get; init; }
    public required double MedianLeadTimeMonths { get; init; }
    public required double TrainingSeconds { get; init; }

    /// <summary>Household folds of the train split the trees were cross-fitted on (0 in cards written before folds).</summary>
    public int Folds { get; init; }

    /// <summary>The logistic part's share of the blend (0 = trees only), chosen on out-of-fold scores.</summary>
    public double LinearShare { get; init; }

    /// <summary>Out-of-fold AUC on the train split: the blend, and the trees alone.</summary>
    public double OutOfFoldAuc { get; init; }

    public double OutOfFoldAucTrees { get; init; }

    /// <summary>The trees alone on the test split (to show what the blend adds).</summary>
    public double AucTreesOnly { get; init; }

    /// <summary>Children in the train split; more than <see cref="FitChildren"/> when a household sample was trained on.</summary>
    public int TrainSplitChildren { get; init; }

    /// <summary>Processor seconds spent training (wall time depends on what else the machine runs).</summary>
    public double TrainingCpuSeconds { get; init; }
}

/// <summary>A trained model with its report and the split every child fell in.</summary>
public sealed record TrainingResult(NeedModel Model, ModelReport Report, IReadOnlyDictionary<long, SplitPart> Splits);

/// <summary>
/// Trains the need model. Labels are data: in the synthetic demo they come from its ground truth; in a municipality
/// from its own outcome history (a later 要対協 registration, 不登校 the year after). Children are split by household so
/// siblings never straddle train and test; the calibration part of train fits the Platt scaling and picks parameters.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Trains, or returns null when there are too few positive children to learn from honestly.</summary>
    public static TrainingResult? Train(IReadOnlyList<ChildFeatures> children, IReadOnlyDictionary<long, bool> labels, FeatureSchema schema, TrainingOptions options)
    {
        var watch = Stopwatch.StartNew();
        var cpu = options.ProcessorTime?.Invoke();
        var labelled = children.Where(c => labels.ContainsKey(c.PersonId)).ToList();
        var splits = children.ToDictionary(c => c.PersonId, c => HouseholdSplit.Of(c.HouseholdKey));
        // A large city's train split is sampled by household: beyond a few tens of thousands of children the trees
        // gain little, and training time must not grow with the city.
        var allTrain = labelled.Where(c => splits[c.PersonId] != SplitPart.Test).ToList();
        var share = Math.Min(1.0, options.MaxTrainingChildren / (double)Math.Max(1, allTrain.Count));
        var train = share >= 1 ? allTrain : allTrain.Where(c => HouseholdSplit.Sample(c.HouseholdKey) < share).ToList();
        var test = labelled.Where(c => splits[c.PersonId] == SplitPart.Test).ToList();
        var folds = Math.Max(2, options.Folds);
        var fold = train.Select(c => HouseholdSplit.Fold(c.HouseholdKey, folds)).ToArray();
        var trainLabels = train.Select(c => labels[c.PersonId]).ToArray();
        if (trainLabels.Count(l => l) < options.MinimumPositives || !test.Any(c => labels[c.PersonId])
            || Enumerable.Range(0, folds).Any(f => !trainLabels.Where((_, i) => fold[i] == f).Any(l => l)))
        {
            return null;
        }

        var ml = new MLContext(seed: ModelData.Seed);
        var testData = ModelData.ToDataView(ml, schema, test, labels);
        var testLabels = test.Select(c => labels[c.PersonId]).ToArray();
        var vectors = train.Select(c => schema.ModelVector(c.Values)).ToArray();
        var testVectors = test.Select(c => schema.ModelVector(c.Values)).ToArray();
        // The folds are independent fits of one thread each, so they run side by side on the machine's cores. Each
        // has its own context and data (a context is not made for use from several threads), and what each fold
        // gives is kept by fold and combined in fold order: the model is the same whatever the threads' timing.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) };
        var contexts = new MLContext[folds];
        var foldFit = new IDataView[folds];
        var foldHeld = new IDataView[folds];
        var foldTest = new IDataView[folds];
        for (var f = 0; f < folds; f++)
        {
            var k = f;
            var context = contexts[f] = new MLContext(seed: ModelData.Seed);
            foldFit[f] = context.Data.Cache(ModelData.ToDataView(context, schema, train.Where((_, i) => fold[i] != k), labels));
            foldHeld[f] = ModelData.ToDataView(context, schema, train.Where((_, i) => fold[i] == k), labels);
            foldTest[f] = ModelData.ToDataView(context, schema, test, labels);
        }

        // Cross-fitting by household: every training child gets a score from trees that never saw its household, so
        // parameters, the blend and the calibration are all chosen without the test split, and every training child
        // is used both to fit and to judge. The final trees are the fold models, averaged.
        List<ITransformer>? best = null;
        double[]? bestOutOfFold = null;
        TreeParameters? bestParameters = null;
        var bestAuc = double.NegativeInfinity;
        var tried = new List<TriedParameters>();
        foreach (var p in options.Grid)
        {
            var started = watch.Elapsed.TotalSeconds;
            var models = new ITransformer[folds];
            var outOfFold = new double[train.Count];
            var foldTestScores = new float[folds][];
            Parallel.For(0, folds, parallel, f =>
            {
                var model = contexts[f].BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                {
                    NumberOfLeaves = p.Leaves,
                    NumberOfTrees = p.Trees,
                    LearningRate = p.LearningRate,
                    MinimumExampleCountPerLeaf = p.MinimumExamplesPerLeaf,
                    NumberOfThreads = 1,
                    Seed = ModelData.Seed + f,
                    FeatureSelectionSeed = ModelData.Seed + f,
                }).Fit(foldFit[f]);
                models[f] = model;
                // Each fold writes only its own children's places.
                Scatter(model.Transform(foldHeld[f]).GetColumn<float>("Score"), outOfFold, fold, f);
                foldTestScores[f] = [.. model.Transform(foldTest[f]).GetColumn<float>("Score")];
            });
            var testScores = new double[test.Count];
            foreach (var scores in foldTestScores)
            {
                for (var j = 0; j < testScores.Length; j++)
                {
                    testScores[j] += scores[j] / folds;
                }
            }

            var auc = RocAuc.Of(outOfFold.Select((s, i) => (s, trainLabels[i])).ToList());
            // The test AUC of every candidate is reported (not used to choose), so the card shows how much choosing mattered.
            var testAuc = RocAuc.Of(testScores.Select((s, i) => (s, testLabels[i])).ToList());
            tried.Add(new TriedParameters(p, Math.Round(auc, 4), Math.Round(testAuc, 4), Math.Round(watch.Elapsed.TotalSeconds - started, 2)));
            if (auc > bestAuc)
            {
                (best, bestOutOfFold, bestParameters, bestAuc) = ([.. models], outOfFold, p, auc);
            }
        }

        // The logistic part of the blend: the same regularised logistic regression, cross-fitted the same way.
        var linearOutOfFold = new double[train.Count];
        var linearFits = new (double Bias, double[] Coefficients)[folds];
        Parallel.For(0, folds, parallel, f =>
        {
            var fit = Logistic.Fit(contexts[f], vectors.Where((_, i) => fold[i] != f).ToArray(), trainLabels.Where((_, i) => fold[i] != f).ToArray());
            linearFits[f] = fit;
            var part = new Blend(0, 1, fit.Bias, fit.Coefficients);
            for (var i = 0; i < train.Count; i++)
            {
                if (fold[i] == f)
                {
                    linearOutOfFold[i] = part.Linear(vectors[i]);
                }
            }
        });

        var linear = (Bias: linearFits.Average(l => l.Bias), Coefficients: Enumerable.Range(0, schema.Count).Select(j => linearFits.Average(l => l.Coefficients[j])).ToArray());
        var (treeWeight, linearWeight, blendAuc, linearShare) = ChooseBlend(bestOutOfFold!, linearOutOfFold, trainLabels);
        var blended = bestOutOfFold!.Select((t, i) => (treeWeight * t) + (linearWeight * linearOutOfFold[i])).ToArray();
        var platt = PlattScaling.Fit(blended.Select((s, i) => (s, trainLabels[i])).ToList());
        var blend = new Blend(treeWeight, linearWeight, linear.Bias, linear.Coefficients);

        var version = Version(schema, bestParameters!, blend, options, labelled, labels);
        var metadata = new ModelMetadata(version, options.Outcome, schema.Version, schema.Columns, platt, bestParameters!, options.Bands, options.FeaturesAsOf, options.OutcomeWindow, blend);
        var needModel = new NeedModel(ml, best!, schema, metadata);

        // The plain comparison: a logistic regression on the same features, trained on the same (whole) train split.
        var logisticData = ml.Data.Cache(ModelData.ToDataView(ml, schema, allTrain, labels));
        var logistic = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1, L2Regularization = 1f }))
            .Fit(logisticData);
        var logisticScores = logistic.Transform(testData).GetColumn<float>("Score").ToArray();

        var raw = needModel.RawScores(test);
        var treesOnly = test.Select((_, i) => raw[i] - (linearWeight * blend.Linear(testVectors[i]))).ToArray();
        var probability = raw.Select(s => platt.Probability(s)).ToArray();
        var items = probability.Select((p, i) => (p, testLabels[i])).ToList();
        var ruleColumns = schema.Columns.Select((c, i) => (c, i)).Where(x => x.c.Kind == FeatureKind.RuleScore).Select(x => x.i).ToArray();
        var rules = test.Select((c, i) => (ruleColumns.Max(r => c.Values[r]), testLabels[i])).ToList();

        // Without calibration, ML.NET's own sigmoid of the trees' margin (fitted on the training part) is what one would show.
        var uncalibrated = treesOnly.Select((s, i) => (1 / (1 + Math.Exp(-2 * s / Math.Max(treeWeight, 1e-9))), testLabels[i])).ToList();
        var atCapacity = Metrics.AtCapacity(items, options.Capacity);
        var groups = GroupResults(test, items, atCapacity.Threshold, options.Groups);
        var leadTimes = test.Select((c, i) => (c, i))
            .Where(x => testLabels[x.i] && probability[x.i] >= atCapacity.Threshold && x.c.FirstSignal is not null)
            .Select(x => MonthsBetween(x.c.FirstSignal!.Value, options.FeaturesAsOf))
            .OrderBy(m => m).ToList();

        var report = new ModelReport
        {
            Version = version,
            Outcome = options.Outcome,
            FeaturesAsOf = options.FeaturesAsOf,
            OutcomeWindow = options.OutcomeWindow,
            FeatureVersion = schema.Version,
            Features = schema.Columns.Select(c => c.Name).ToList(),
            Parameters = bestParameters!,
            Tried = tried,
            FitChildren = train.Count,
            CalibrationChildren = train.Count,
            TrainSplitChildren = allTrain.Count,
            TestChildren = test.Count,
            TestPositives = testLabels.Count(l => l),
            Auc = RocAuc.Of(items),
            AucRulesOnly = RocAuc.Of(rules),
            AucLogistic = RocAuc.Of(logisticScores.Select((s, i) => ((double)s, testLabels[i])).ToList()),
            PrAuc = Metrics.PrAuc(items),
            Ece = Metrics.Ece(items),
            EceUncalibrated = Metrics.Ece(uncalibrated),
            Reliability = Metrics.Reliability(items),
            Capacity = options.Capacity,
            AtCapacity = atCapacity,
            RulesAtCapacity = Metrics.AtCapacity(rules, options.Capacity),
            GroupResults = groups,
            Gaps = Gaps(groups),
            MedianLeadTimeMonths = leadTimes.Count == 0 ? double.NaN : Median(leadTimes),
            TrainingSeconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
            TrainingCpuSeconds = cpu is { } before ? Math.Round((options.ProcessorTime!() - before).TotalSeconds, 2) : 0,
            Folds = folds,
            LinearShare = linearShare,
            OutOfFoldAuc = Math.Round(blendAuc, 4),
            OutOfFoldAucTrees = Math.Round(bestAuc, 4),
            AucTreesOnly = RocAuc.Of(treesOnly.Select((s, i) => (s, testLabels[i])).ToList()),
        };
        return new TrainingResult(needModel, report, splits);
    }

    private static void Scatter(IEnumerable<float> scores, double[] into, int[] fold, int f)
    {
        using var e = scores.GetEnumerator();
        for (var i = 0; i < into.Length; i++)
        {
            if (fold[i] == f && e.MoveNext())
            {
                into[i] = e.Current;
            }
        }
    }

    /// <summary>
    /// The share of the logistic part, in steps of 0.05, with the best out-of-fold AUC (ties go to the trees). Each
    /// part's margin is first divided by its out-of-fold standard deviation, so the share means the same for any scale.
    /// </summary>
    private static (double TreeWeight, double LinearWeight, double Auc, double Share) ChooseBlend(double[] trees, double[] linear, bool[] labels)
    {
        var treeScale = StandardDeviation(trees);
        var linearScale = StandardDeviation(linear);
        var best = (Tree: 1 / treeScale, Linear: 0.0, Auc: double.NegativeInfinity, Share: 0.0);
        for (var step = 0; step <= 20; step++)
        {
            var share = step / 20.0;
            var (a, b) = ((1 - share) / treeScale, share / linearScale);
            var auc = RocAuc.Of(trees.Select((t, i) => ((a * t) + (b * linear[i]), labels[i])).ToList());
            if (auc > best.Auc + 1e-9)
            {
                best = (a, b, auc, share);
            }
        }

        return best;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return sd > 0 ? sd : 1;
    }

    /// <summary>Whole and part months between two dates (30.44 days a month).</summary>
    public static double MonthsBetween(DateOnly from, DateOnly to) => Math.Round((to.DayNumber - from.DayNumber) / 30.44, 1);

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Version(FeatureSchema schema, TreeParameters parameters, Blend blend, TrainingOptions options, List<ChildFeatures> labelled, IReadOnlyDictionary<long, bool> labels)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{schema.Hash()}|{parameters}|{blend.TreeWeight:R}|{blend.LinearWeight:R}|{options.Folds}|{options.Outcome}|{options.FeaturesAsOf:yyyy-MM-dd}|{options.OutcomeWindow}|{ModelData.Seed}\n")));
        Span<byte> buffer = stackalloc byte[8];
        foreach (var c in labelled.OrderBy(c => c.PersonId))
        {
            BitConverter.TryWriteBytes(buffer, c.PersonId);
            sha.AppendData(buffer);
            sha.AppendData(labels[c.PersonId] ? [1] : [0]);
            foreach (var v in c.Values)
            {
                BitConverter.TryWriteBytes(buffer, v);
                sha.AppendData(buffer);
            }
        }

        return "needs-" + options.FeaturesAsOf.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    private static List<GroupResult> GroupResults(List<ChildFeatures> test, List<(double P, bool Y)> items, double threshold, IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>? groups)
    {
        var result = new List<GroupResult>();
        if (groups is null)
        {
            return result;
        }

        var byGroup = new Dictionary<(string, string), List<(double, bool)>>();
        for (var i = 0; i < test.Count; i++)
        {
            if (!groups.TryGetValue(test[i].PersonId, out var g))
            {
                continue;
            }

            foreach (var (name, value) in g)
            {
                if (!byGroup.TryGetValue((name, value), out var list))
                {
                    list = [];
                    byGroup[(name, value)] = list;
                }

                list.Add(items[i]);
            }
        }

        foreach (var ((name, value), list) in byGroup.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal))
        {
            var at = Metrics.AtThreshold(list, threshold);
            result.Add(new GroupResult(name, value, list.Count, list.Count(x => x.Item2), RocAuc.Of(list), (double)at.Flagged / list.Count,
                at.Precision, at.Recall, list.Average(x => x.Item1), list.Count(x => x.Item2) / (double)list.Count));
        }

        return result;
    }

    /// <summary>Per group kind, the largest difference in recall between its values (values with 10 or more positives).</summary>
    private static Dictionary<string, double> Gaps(List<GroupResult> groups) =>
        groups.Where(g => g.Positives >= 10 && !double.IsNaN(g.Recall)).GroupBy(g => g.Group, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .ToDictionary(g => "recall_gap_" + g.Key, g => Math.Round(g.Max(x => x.Recall) - g.Min(x => x.Recall), 4), StringComparer.Ordinal);
}
