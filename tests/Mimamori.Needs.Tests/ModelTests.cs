using Mimamori.Needs.Indicators;
using Mimamori.Needs.Model;
using Mimamori.Needs.Scoring;
using Mimamori.Needs.Validation;

namespace Mimamori.Needs.Tests;

public class SplitTests
{
    [Fact]
    public void Siblings_AreNeverOnBothSides()
    {
        var children = Enumerable.Range(0, 5000).Select(i => (Person: i, Household: "household:" + (i / 3))).ToList();
        var sides = children.GroupBy(c => c.Household).Select(g => g.Select(c => HouseholdSplit.Name(HouseholdSplit.Of(c.Household))).Distinct().Count());
        Assert.All(sides, n => Assert.Equal(1, n));
    }

    [Fact]
    public void Split_IsDeterministic_AndRoughlyAQuarterTest()
    {
        var keys = Enumerable.Range(0, 20000).Select(i => "h" + i).ToList();
        var first = keys.Select(k => HouseholdSplit.Of(k)).ToList();
        Assert.Equal(first, keys.Select(k => HouseholdSplit.Of(k)));
        var test = first.Count(p => p == SplitPart.Test) / (double)keys.Count;
        var calibration = first.Count(p => p == SplitPart.Calibration) / (double)keys.Count;
        Assert.InRange(test, 0.23, 0.27);
        Assert.InRange(calibration, 0.13, 0.17);
    }

    [Fact]
    public void Folds_AreDeterministic_Balanced_AndKeepSiblingsTogether()
    {
        var keys = Enumerable.Range(0, 20000).Select(i => "household:" + i).ToList();
        var folds = keys.Select(k => HouseholdSplit.Fold(k, 4)).ToList();
        Assert.Equal(folds, keys.Select(k => HouseholdSplit.Fold(k, 4)));
        Assert.All(folds.GroupBy(f => f), g => Assert.InRange(g.Count() / 20000.0, 0.23, 0.27));
        // Folds are independent of the fit/calibration cut, so each fold holds both.
        Assert.All(Enumerable.Range(0, 4), f => Assert.Contains(keys.Where((_, i) => folds[i] == f), k => HouseholdSplit.Of(k) == SplitPart.Calibration));
    }
}

public class MetricTests
{
    [Fact]
    public void Auc_OfASeparableSet_IsOne_AndReversedIsZero()
    {
        var items = Enumerable.Range(0, 100).Select(i => ((double)i, i >= 60)).ToList();
        Assert.Equal(1.0, RocAuc.Of(items), 6);
        Assert.Equal(0.0, RocAuc.Of(items.Select(x => (-x.Item1, x.Item2)).ToList()), 6);
        Assert.Equal(1.0, Metrics.PrAuc(items), 6);
    }

    [Fact]
    public void Auc_GivesTiesHalfCredit()
    {
        var items = new List<(double, bool)> { (0.5, true), (0.5, false) };
        Assert.Equal(0.5, RocAuc.Of(items), 6);
    }

    [Fact]
    public void Platt_ReducesCalibrationError_AndKeepsTheOrder()
    {
        // Scores whose sigmoid overstates the risk badly: the true probability is sigmoid(0.5·s − 2).
        var rng = new Random(3);
        var fitItems = new List<(double, bool)>();
        var testItems = new List<(double, bool)>();
        for (var i = 0; i < 20000; i++)
        {
            var s = (rng.NextDouble() * 8) - 2;
            var y = rng.NextDouble() < 1 / (1 + Math.Exp(-((0.5 * s) - 2)));
            (i % 2 == 0 ? fitItems : testItems).Add((s, y));
        }

        var naive = testItems.Select(x => (1 / (1 + Math.Exp(-x.Item1)), x.Item2)).ToList();
        var platt = PlattScaling.Fit(fitItems);
        var calibrated = testItems.Select(x => (platt.Probability(x.Item1), x.Item2)).ToList();
        Assert.True(Metrics.Ece(naive) > 0.2, $"naive ECE {Metrics.Ece(naive)}");
        Assert.True(Metrics.Ece(calibrated) < 0.02, $"calibrated ECE {Metrics.Ece(calibrated)}");
        Assert.Equal(RocAuc.Of(naive), RocAuc.Of(calibrated), 6);
    }

    [Fact]
    public void Capacity_TakesTheTopShare()
    {
        var items = Enumerable.Range(0, 1000).Select(i => ((double)i, i >= 990 || i == 5)).ToList();
        var at = Metrics.AtCapacity(items, 0.01);
        Assert.Equal(10, at.Flagged);
        Assert.Equal(1.0, at.Precision, 6);
        Assert.Equal(10 / 11.0, at.Recall, 6);
    }
}

public class FeatureTests
{
    private static readonly DateOnly Ref = new(2025, 12, 31);

    private static ChildFacts Child(long id, IReadOnlyList<FactItem> own, string[] sources, IReadOnlyList<FactItem>? household = null, string[]? householdSources = null) =>
        new(id, new DateOnly(2015, 5, 1), own, household ?? [], sources.ToHashSet(), (householdSources ?? []).ToHashSet());

    private static FactItem Absence(int monthsAgo, double days) => new("komu_attendance", 1, "school.absence_days", Ref.AddMonths(-monthsAgo).AddDays(-1), null, days);

    [Fact]
    public void MissingSource_GivesUnknownValues_AndTheIndicator_NeverZero()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        var f = builder.Build(Child(1, [], []), null, []);
        var s = builder.Schema;
        Assert.True(double.IsNaN(f.Values[s.IndexOf("absence_days_12m")]));
        Assert.Equal(1, f.Values[s.IndexOf("missing_attendance")]);
        Assert.Equal(1, f.Values[s.IndexOf("missing_registry")]);
        Assert.True(double.IsNaN(f.Values[s.IndexOf("single_adult_household")]));
    }

    [Fact]
    public void PresentSource_WithoutAFact_IsZero_AndNotMissing()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        var f = builder.Build(Child(1, [Absence(1, 0)], ["komu_attendance"]), new ChildContext("h1", 1, 2), []);
        var s = builder.Schema;
        Assert.Equal(0, f.Values[s.IndexOf("absence_days_12m")]);
        Assert.Equal(0, f.Values[s.IndexOf("missing_attendance")]);
        Assert.Equal(1, f.Values[s.IndexOf("single_adult_household")]);
    }

    [Fact]
    public void Absences_AreSummedByWindow_AndTheRiseIsExplainedInWords()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        List<FactItem> own = [Absence(0, 9), Absence(1, 9), Absence(2, 9), Absence(3, 2), Absence(4, 2), Absence(5, 2), Absence(20, 30)];
        var f = builder.Build(Child(1, own, ["komu_attendance"]), null, []);
        var s = builder.Schema;
        Assert.Equal(33, f.Values[s.IndexOf("absence_days_12m")]);
        Assert.Equal(27, f.Values[s.IndexOf("absence_days_3m")]);
        Assert.Equal(6, f.Values[s.IndexOf("absence_days_prev_3m")]);
        Assert.Equal(21, f.Values[s.IndexOf("absence_rise_3m")]);
        Assert.Equal("欠席が月2日から9日に増えた", s.Explain(s.IndexOf("absence_rise_3m"), f.Values, true));
        Assert.Equal("absences rose from 2 to 9 days a month", s.Explain(s.IndexOf("absence_rise_3m"), f.Values, false));
    }

    [Fact]
    public void FactsAfterTheReferenceDate_AreNotSeen()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref.AddMonths(-12));
        var f = builder.Build(Child(1, [Absence(1, 9)], ["komu_attendance"]), null, []);
        Assert.Equal(0, f.Values[builder.Schema.IndexOf("absence_days_12m")]);
    }

    [Fact]
    public void RuleScores_AreFeatures()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        var f = builder.Build(Child(1, [], []), null, [new NeedAssessment(1, "futoko", 0.55, "medium", [], [])]);
        Assert.Equal(0.55, f.Values[builder.Schema.IndexOf("rule_futoko")]);
    }
}

public class ModelTests
{
    private static readonly DateOnly Ref = new(2025, 12, 31);

    /// <summary>A synthetic problem: absences and a household abuse report raise the risk; siblings share households.</summary>
    private static (List<ChildFeatures> Children, Dictionary<long, bool> Labels, FeatureSchema Schema) Problem(int n, int seed)
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        var rng = new Random(seed);
        var children = new List<ChildFeatures>();
        var labels = new Dictionary<long, bool>();
        for (var i = 0; i < n; i++)
        {
            var household = i / 2;
            var hRisk = (household * 7919 % 13) == 0;
            var days = rng.Next(0, 4) + (hRisk ? rng.Next(0, 10) : 0) + (rng.NextDouble() < 0.05 ? rng.Next(5, 15) : 0);
            var own = new List<FactItem>
            {
                new("komu_attendance", i, "school.absence_days", Ref.AddDays(-10), null, days),
            };
            var householdFacts = hRisk && rng.NextDouble() < 0.6 ? new List<FactItem> { new("katei_sodan", i, "cw.consultation_type", Ref.AddMonths(-3), "abuse_report", null) } : [];
            var child = new ChildFacts(i, new DateOnly(2014, 1, 1), own, householdFacts, new HashSet<string> { "komu_attendance" }, householdFacts.Count > 0 ? new HashSet<string> { "katei_sodan" } : []);
            var f = builder.Build(child, new ChildContext("household:" + household, 2, 2), []);
            children.Add(f);
            var logit = -4 + (0.25 * days) + (householdFacts.Count > 0 ? 1.5 : 0);
            labels[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }

        return (children, labels, builder.Schema);
    }

    private static readonly TrainingOptions Fast = new()
    {
        FeaturesAsOf = Ref,
        OutcomeWindow = "test",
        Grid = [new TreeParameters(8, 60, 0.1, 20)],
        MinimumPositives = 20,
    };

    [Fact]
    public void Model_LearnsTheSignal_IsCalibrated_AndExplainsItself()
    {
        var (children, labels, schema) = Problem(8000, 1);
        var result = ModelTrainer.Train(children, labels, schema, Fast);
        Assert.NotNull(result);
        Assert.True(result.Report.Auc > 0.75, $"AUC {result.Report.Auc}");
        Assert.True(result.Report.Ece < 0.05, $"ECE {result.Report.Ece}");

        var scores = result.Model.Score(children.Take(500).ToList(), explainAll: true);
        var top = scores.OrderByDescending(s => s.Probability).First();
        Assert.NotEmpty(top.Top);
        Assert.All(top.Top, c => Assert.True(c.Value > 0));
        Assert.Contains(top.Top, c => c.Group is "attendance" or "household_consultation");
        Assert.Equal(4, result.Report.Folds);
        Assert.Equal(result.Report.Features.Count, result.Model.Metadata.Blend!.Coefficients.Count);
        Assert.InRange(result.Report.LinearShare, 0, 1);
        Assert.True(result.Report.Auc >= result.Report.AucLogistic - 0.02, $"blend {result.Report.Auc} vs logistic {result.Report.AucLogistic}");

        // Reasons come largest first, and the highest-scored child has more pushing its score up than the lowest-scored one.
        Assert.Equal(top.Top.OrderByDescending(c => c.Value).Select(c => c.Value), top.Top.Select(c => c.Value));
        var bottom = scores.OrderBy(s => s.Probability).First();
        Assert.True(top.Top.Sum(c => c.Value) > bottom.Top.Sum(c => c.Value));
    }

    [Fact]
    public void Score_IsReproducible_FromStoredInputs_AndTheSavedModel()
    {
        var (children, labels, schema) = Problem(3000, 2);
        var result = ModelTrainer.Train(children, labels, schema, Fast)!;
        var before = result.Model.Score(children.Take(200).ToList());

        using var stream = new MemoryStream();
        result.Model.Save(stream);
        stream.Position = 0;
        var loaded = NeedModel.Load(stream);
        Assert.Equal(result.Model.Version, loaded.Version);

        // Inputs as stored (values with unknown as NaN) are all a score needs.
        var stored = children.Take(200).Select(c => c with { Values = c.Values.ToArray() }).ToList();
        var after = loaded.Score(stored);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Probability, after[i].Probability, 9);
            Assert.Equal(before[i].Band, after[i].Band);
        }
    }

    [Fact]
    public void Version_ChangesWithTheTrainingData()
    {
        var (children, labels, schema) = Problem(3000, 2);
        var a = ModelTrainer.Train(children, labels, schema, Fast)!;
        var b = ModelTrainer.Train(children, labels.ToDictionary(kv => kv.Key, kv => kv.Key == 0 ? !kv.Value : kv.Value), schema, Fast)!;
        Assert.NotEqual(a.Model.Version, b.Model.Version);
        Assert.Equal(a.Model.Version, ModelTrainer.Train(children, labels, schema, Fast)!.Model.Version);
    }

    [Fact]
    public void FoldsFittedSideBySide_GiveTheModelOfFoldsFittedOneAfterAnother()
    {
        var (children, labels, schema) = Problem(3000, 5);
        var alone = ModelTrainer.Train(children, labels, schema, Fast with { Threads = 1 })!;
        var together = ModelTrainer.Train(children, labels, schema, Fast with { Threads = 4 })!;

        Assert.Equal(alone.Model.Version, together.Model.Version);
        Assert.Equal(alone.Report.OutOfFoldAuc, together.Report.OutOfFoldAuc);
        Assert.Equal(alone.Report.Auc, together.Report.Auc);
        Assert.Equal(alone.Report.Tried.Select(t => t.TestAuc), together.Report.Tried.Select(t => t.TestAuc));
        Assert.Equal(alone.Model.Score(children).Select(s => s.Probability), together.Model.Score(children).Select(s => s.Probability));
    }

    [Fact]
    public void ALargeTrainSplit_IsSampledByWholeHouseholds()
    {
        var (children, labels, schema) = Problem(4000, 4);
        var result = ModelTrainer.Train(children, labels, schema, Fast with { MaxTrainingChildren = 1500 })!;
        Assert.InRange(result.Report.TrainSplitChildren, 2700, 3300);
        Assert.InRange(result.Report.FitChildren, 1200, 1800);
        Assert.Equal(0, result.Report.FitChildren % 2);
        Assert.Contains("a sample of whole households", ModelCard.Markdown(result.Report, schema));
    }

    [Fact]
    public void TooFewPositives_TrainsNothing()
    {
        var (children, _, schema) = Problem(500, 3);
        Assert.Null(ModelTrainer.Train(children, children.ToDictionary(c => c.PersonId, _ => false), schema, Fast));
    }
}
