using Mimamori.Cli.Pipeline;
using Mimamori.Linkage.Evaluation;
using Mimamori.Needs.Model;
using Mimamori.Needs.Validation;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;
using Mimamori.Support.Programs;

namespace Mimamori.Cli.Evaluation;

/// <summary>
/// Measures the pipeline's output against the synthetic municipality's ground truth: pairwise linkage precision and
/// recall (overall and for records without a 宛名番号), need-detection AUC against later confirmed needs, and the
/// precision and recall of unclaimed support.
/// </summary>
public static class Evaluator
{
    public static Dictionary<string, object> Run(MimamoriDatabase database, string truthDir)
    {
        var truthRecord = new Dictionary<(string, string, long), string>();
        foreach (var r in TruthFile.Read(Path.Combine(truthDir, "records.csv")))
        {
            truthRecord[(r["source"], r["file"], long.Parse(r["line"], System.Globalization.CultureInfo.InvariantCulture))] = r["person_id"];
        }

        // Linkage: every linked record labelled with its predicted and true person.
        var labels = new List<(long Predicted, string Truth)>();
        var labelsWithId = new List<(long Predicted, string Truth)>();
        var votes = new Dictionary<long, Dictionary<string, int>>();
        var unmatched = 0;
        foreach (var (source, file, line, personId, hasAtena) in EvaluationQueries.LinkedRecords(database))
        {
            if (!truthRecord.TryGetValue((source, file, line), out var truth))
            {
                unmatched++;
                continue;
            }

            labels.Add((personId, truth));
            if (hasAtena)
            {
                labelsWithId.Add((personId, truth));
            }

            if (!votes.TryGetValue(personId, out var v))
            {
                v = new Dictionary<string, int>(StringComparer.Ordinal);
                votes[personId] = v;
            }

            v[truth] = v.GetValueOrDefault(truth) + 1;
        }

        if (labels.Count == 0)
        {
            throw new UsageException("No linked record matches the ground truth; run the pipeline on the synthetic municipality first (`mimamori run`).");
        }

        var all = PairwiseAccuracy.Of(labels);
        var withId = PairwiseAccuracy.Of(labelsWithId);
        var noId = new PairwiseAccuracy(all.TruePositives - withId.TruePositives, all.PredictedPairs - withId.PredictedPairs, all.TruePairs - withId.TruePairs);

        // Each predicted person stands for the true person most of its records belong to.
        var truthOf = votes.ToDictionary(kv => kv.Key, kv => kv.Value.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key);
        var personOfTruth = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (person, truth) in truthOf.OrderBy(kv => kv.Key))
        {
            personOfTruth.TryAdd(truth, person);
        }

        // Needs: each true child's highest score against the confirmed need that followed.
        var scores = EvaluationQueries.MaxNeedScore(database);
        var items = new List<(double, bool)>();
        var positives = 0;
        foreach (var o in TruthFile.Read(Path.Combine(truthDir, "outcomes.csv")))
        {
            var positive = o["confirmed_need"] == "1";
            positives += positive ? 1 : 0;
            var score = personOfTruth.TryGetValue(o["person_id"], out var p) ? scores.GetValueOrDefault(p) : 0;
            items.Add((score, positive));
        }

        var auc = RocAuc.Of(items);
        var needs = NeedsSection(database, truthDir, personOfTruth, scores, auc, items.Count, positives);

        // Outreach: unclaimed (household, program) pairs, households mapped to the truth through their members.
        var truthHousehold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in TruthFile.Read(Path.Combine(truthDir, "persons.csv")))
        {
            truthHousehold[p["person_id"]] = p["household_id"];
        }

        var householdOf = EvaluationQueries.HouseholdMembers(database)
            .GroupBy(m => m.HouseholdNo)
            .ToDictionary(
                g => g.Key,
                g => g.Select(m => truthOf.TryGetValue(m.PersonId, out var t) && truthHousehold.TryGetValue(t, out var h) ? h : null)
                    .Where(h => h is not null).GroupBy(h => h!).OrderByDescending(x => x.Count()).Select(x => x.Key).FirstOrDefault());
        var predictedAll = EvaluationQueries.Unclaimed(database)
            .Select(u => (Household: householdOf.GetValueOrDefault(u.HouseholdNo) ?? "?" + u.HouseholdNo, u.Program))
            .ToHashSet();
        var truthAll = TruthFile.Read(Path.Combine(truthDir, "eligibility.csv"))
            .Where(e => e["eligible"] == "1" && e["claims"] == "0")
            .Select(e => (Household: e["household_id"], Program: e["program"]))
            .ToHashSet();

        // The headline figures are over the programs the data decide; the others are reported one by one with what the
        // data cannot see, because their "unclaimed" is a list of families to tell, not of families known to qualify.
        var catalog = ProgramCatalog.Default;
        var determined = catalog.Programs.Where(p => p.DeterminedByData).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var predicted = predictedAll.Where(u => determined.Contains(u.Program)).ToHashSet();
        var truthUnclaimed = truthAll.Where(u => determined.Contains(u.Program)).ToHashSet();
        var hit = predicted.Count(truthUnclaimed.Contains);
        var programs = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var program in catalog.Programs)
        {
            var found = predictedAll.Where(u => u.Program == program.Id).ToHashSet();
            var truth = truthAll.Count(u => u.Program == program.Id);
            var hits = found.Count(truthAll.Contains);
            programs[program.Id] = new Dictionary<string, object>
            {
                // Nothing found and nothing to find is a perfect answer, not an undefined one.
                ["precision"] = Round(found.Count == 0 ? (truth == 0 ? 1 : 0) : (double)hits / found.Count),
                ["recall"] = Round(truth == 0 ? 1 : (double)hits / truth),
                ["found"] = found.Count,
                ["true"] = truth,
                ["determined_by_data"] = program.DeterminedByData,
                ["explanation"] = program.DeterminedByData
                    ? "eligibility and receipt are both in the linked records"
                    : program.UndeterminedReason?.En ?? "the data do not decide eligibility",
            };
        }

        return new Dictionary<string, object>
        {
            ["linkage"] = new Dictionary<string, object>
            {
                ["precision"] = Round(all.Precision),
                ["recall"] = Round(all.Recall),
                ["f1"] = Round(all.F1),
                ["precision_no_id"] = Round(noId.Precision),
                ["recall_no_id"] = Round(noId.Recall),
                ["records"] = labels.Count,
                ["records_without_truth"] = unmatched,
                ["true_pairs"] = all.TruePairs,
                ["predicted_pairs"] = all.PredictedPairs,
                ["blocking"] = BlockingSection(truthDir),
            }.Concat(ReviewLabels.Section(database, r => truthRecord.GetValueOrDefault(r))).ToDictionary(),
            ["needs"] = needs,
            ["outreach"] = new Dictionary<string, object>
            {
                ["unclaimed_precision"] = Round(predicted.Count == 0 ? 0 : (double)hit / predicted.Count),
                ["unclaimed_recall"] = Round(truthUnclaimed.Count == 0 ? 1 : (double)hit / truthUnclaimed.Count),
                ["unclaimed_found"] = predicted.Count,
                ["unclaimed_true"] = truthUnclaimed.Count,
                ["programs"] = programs,
            },
        };
    }

    /// <summary>
    /// Need detection against the truth. With a trained model, every figure is on the model's test split (households
    /// never seen in training): its AUC, the rule-only score's AUC on the same children, the logistic regression's (from
    /// the model card), PR-AUC, ECE, precision and recall at the team's capacity, and the median lead time. Without a
    /// model, the rule-only AUC over all children, as before.
    /// </summary>
    private static Dictionary<string, object> NeedsSection(MimamoriDatabase database, string truthDir, Dictionary<string, long> personOfTruth, IReadOnlyDictionary<long, double> ruleScores, double ruleAuc, int children, int positives)
    {
        var section = new Dictionary<string, object>
        {
            ["auc"] = Round(ruleAuc),
            ["auc_rules_only"] = Round(ruleAuc),
            ["children"] = children,
            ["confirmed_need"] = positives,
        };
        var stored = ModelStore.Scores(database, DetectStage.Outcome).ToDictionary(s => s.PersonId);
        if (stored.Count == 0 || ModelStore.LatestModel(database, DetectStage.Outcome) is not { } latest || ModelCard.FromJson(latest.Card) is not { } card)
        {
            section["model"] = "none";
            return section;
        }

        var model = new List<(double, bool)>();
        var rules = new List<(double, bool)>();
        var firstSignal = new List<DateOnly?>();
        foreach (var o in TruthFile.Read(Path.Combine(truthDir, "outcomes.csv")))
        {
            if (!personOfTruth.TryGetValue(o["person_id"], out var p) || !stored.TryGetValue(p, out var s) || s.Split != "test")
            {
                continue;
            }

            var positive = o["confirmed_need"] == "1";
            model.Add((s.Probability, positive));
            rules.Add((ruleScores.GetValueOrDefault(p), positive));
            firstSignal.Add(s.FirstSignal is { } f ? DateOnly.ParseExact(f, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null);
        }

        var at = Metrics.AtCapacity(model, card.Capacity);
        var lead = model.Select((m, i) => (m, i)).Where(x => x.m.Item2 && x.m.Item1 >= at.Threshold && firstSignal[x.i] is not null)
            .Select(x => ModelTrainer.MonthsBetween(firstSignal[x.i]!.Value, card.FeaturesAsOf)).OrderBy(m => m).ToList();
        section["auc"] = Round(RocAuc.Of(model));
        section["auc_rules_only"] = Round(RocAuc.Of(rules));
        section["auc_rules_only_all_children"] = Round(ruleAuc);
        section["auc_logistic"] = Round(card.AucLogistic);
        if (card.Folds > 0)
        {
            // What the blend is made of, as measured at training on the same test split.
            section["auc_trees_only"] = Round(card.AucTreesOnly);
            section["logistic_share"] = card.LinearShare;
            section["auc_out_of_fold"] = Round(card.OutOfFoldAuc);
        }

        section["ece"] = Round(Metrics.Ece(model));
        section["pr_auc"] = Round(Metrics.PrAuc(model));
        section["precision_at_capacity"] = Round(at.Precision);
        section["recall_at_capacity"] = Round(at.Recall);
        section["capacity"] = card.Capacity;
        section["median_lead_time_months"] = lead.Count == 0 ? 0 : lead.Count % 2 == 1 ? lead[lead.Count / 2] : Math.Round((lead[(lead.Count / 2) - 1] + lead[lead.Count / 2]) / 2, 1);
        section["test_children"] = model.Count;
        section["test_confirmed_need"] = model.Count(m => m.Item2);
        section["model"] = latest.Version;
        return section;
    }

    /// <summary>
    /// The blocking report the last link run wrote (pairs and pair recall per rule; see <see cref="LinkStage"/>):
    /// beside the truth's municipality or in the data folder above it, whichever is newer; "none" when no run wrote one.
    /// </summary>
    private static object BlockingSection(string truthDir)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(truthDir));
        var report = new[] { root, root is null ? null : Path.GetDirectoryName(root) }
            .Where(d => d is not null)
            .Select(d => Path.Combine(d!, LinkStage.BlockingReportFile))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return report is null ? "none" : System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement.Clone();
    }

    private static double Round(double value) => double.IsNaN(value) ? 0 : Math.Round(value, 4);
}
