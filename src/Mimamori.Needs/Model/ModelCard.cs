using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mimamori.Needs.Model;

/// <summary>
/// The model card: what the model was trained on, how well it ranks and how honest its probabilities are, how it
/// differs between groups, and what it must not be used for. Published with every model version.
/// </summary>
public static class ModelCard
{
    /// <summary>The report as JSON (stored with the model).</summary>
    public static string Json(ModelReport report) => JsonSerializer.Serialize(report, ModelData.Json);

    /// <summary>The report read back from <see cref="Json"/>.</summary>
    public static ModelReport? FromJson(string json) => JsonSerializer.Deserialize<ModelReport>(json, ModelData.Json);

    public static string Markdown(ModelReport r, FeatureSchema schema)
    {
        var s = new StringBuilder();
        void L(string line = "") => s.Append(line).Append('\n');
        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);
        static string Pct(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

        L($"# Model card: {r.Version}");
        L();
        L("A prompt for a person to look, never a decision. The probability says how often children with similar data");
        L("later had the outcome; it says nothing about a particular family's intent or worth. 判断するのは人です。");
        L();
        L("## What it predicts");
        L();
        L($"- Outcome: **{r.Outcome}** ({r.OutcomeWindow}).");
        L($"- Features computed as of **{r.FeaturesAsOf:yyyy-MM-dd}** from linked department data; facts dated later are never used.");
        L($"- Feature catalog {r.FeatureVersion}: {r.Features.Count} columns, listed below with their plain-words templates.");
        L($"- Gradient-boosted trees (ML.NET FastTree, one thread, fixed seed): {r.Parameters.Leaves} leaves, {r.Parameters.Trees} trees, learning rate {r.Parameters.LearningRate.ToString(CultureInfo.InvariantCulture)}, at least {r.Parameters.MinimumExamplesPerLeaf} children per leaf;");
        L($"  chosen by out-of-fold AUC on the train split (leaves/trees/learning rate/minimum per leaf → AUC) from {string.Join(", ", r.Tried.Select(t => $"{t.Parameters.Leaves}/{t.Parameters.Trees}/{t.Parameters.LearningRate.ToString(CultureInfo.InvariantCulture)}/{t.Parameters.MinimumExamplesPerLeaf} → {F(t.CalibrationAuc)} (test {F(t.TestAuc)}, {t.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)"))}.");
        if (r.Folds > 0)
        {
            L($"- Cross-fitted on {r.Folds} household folds of the train split: each fold's trees are fitted on the other folds and score the held-out one;");
            L("  the model averages the fold trees. Parameters, the blend and the calibration are chosen on these out-of-fold scores only — never on the test split.");
            L($"- Blended with a regularised logistic regression (L-BFGS, L2 = 1, features divided by their standard deviation, fitted on the same folds):");
            L($"  logistic share {F(r.LinearShare)} of the standardised margins (0 = trees only), chosen by out-of-fold AUC in steps of 0.05; out-of-fold AUC {F(r.OutOfFoldAuc)} blended, {F(r.OutOfFoldAucTrees)} trees alone.");
            L("- Probabilities: Platt scaling of the blended margin, fitted on the out-of-fold scores (every child scored by models that never saw its household).");
            L($"- Split by household (SHA-256 of the household key): siblings are never on both sides, nor in two folds. Train {r.FitChildren:N0}, test {r.TestChildren:N0} children ({r.TestPositives:N0} with the outcome).");
            if (r.TrainSplitChildren > r.FitChildren)
            {
                L($"- The train split holds {r.TrainSplitChildren:N0} children; a sample of whole households ({r.FitChildren:N0}) was trained on, so training time does not grow with the city.");
            }

        }
        else
        {
            L("- Probabilities: Platt scaling fitted on the calibration part (households held out of the trees).");
            L($"- Split by household (SHA-256 of the household key): siblings are never on both sides. Fit {r.FitChildren:N0}, calibration {r.CalibrationChildren:N0}, test {r.TestChildren:N0} children ({r.TestPositives:N0} with the outcome).");
        }

        L($"- Version = hash of the feature columns, parameters, blend, folds, outcome window, seed and the training rows; training took {r.TrainingSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({r.TrainingCpuSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of processor time).");
        L();
        L("## How well it works (test split only)");
        L();
        L("| measure | model | logistic regression | rules only |");
        L("|---|---|---|---|");
        L($"| AUC | {F(r.Auc)} | {F(r.AucLogistic)} | {F(r.AucRulesOnly)} |");
        if (r.Folds > 0)
        {
            L($"| AUC of the trees alone (the blend's other part) | {F(r.AucTreesOnly)} | | |");
        }

        L($"| PR-AUC (average precision) | {F(r.PrAuc)} | | |");
        L($"| precision at capacity ({Pct(r.Capacity)} of children, {r.AtCapacity.Flagged:N0}) | {F(r.AtCapacity.Precision)} | | {F(r.RulesAtCapacity.Precision)} |");
        L($"| recall at capacity | {F(r.AtCapacity.Recall)} | | {F(r.RulesAtCapacity.Recall)} |");
        L();
        L($"Expected calibration error (10 equal bins): **{F(r.Ece)}** after Platt scaling ({F(r.EceUncalibrated)} with the trees' own sigmoid).");
        L();
        L("| predicted | children | mean predicted | observed |");
        L("|---|---|---|---|");
        foreach (var b in r.Reliability)
        {
            L($"| {b.From.ToString("0.0", CultureInfo.InvariantCulture)}–{b.To.ToString("0.0", CultureInfo.InvariantCulture)} | {b.Count:N0} | {F(b.MeanPredicted)} | {F(b.Observed)} |");
        }

        L();
        L($"Median lead time: **{(double.IsNaN(r.MedianLeadTimeMonths) ? "–" : r.MedianLeadTimeMonths.ToString("0.0", CultureInfo.InvariantCulture))} months** — for test children with the outcome who are within capacity,");
        L("the months from the first dated signal fact (a feature's fact at or above its `signal_min`) to the date the features were");
        L("computed. The outcome itself comes later still (within its window), so this is a lower bound on the warning time.");
        L();
        L("## Results by group (test split, at the capacity threshold)");
        L();
        L("| group | value | children | with outcome | AUC | flagged | precision | recall | mean predicted | observed |");
        L("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var g in r.GroupResults)
        {
            L($"| {g.Group} | {g.Value} | {g.Children:N0} | {g.Positives:N0} | {F(g.Auc)} | {Pct(g.FlagRate)} | {F(g.Precision)} | {F(g.Recall)} | {F(g.MeanProbability)} | {F(g.ObservedRate)} |");
        }

        L();
        if (r.Gaps.Count == 0)
        {
            L("No group kind had two values with 10 or more children with the outcome: no gap can be stated honestly.");
        }
        else
        {
            foreach (var (k, v) in r.Gaps.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                L($"- {k}: {F(v)} (largest minus smallest recall between values with 10 or more children with the outcome).");
            }
        }

        L();
        L("Groups with more children flagged than their observed rate warrants are flagged more because their data carries");
        L("more recorded signals (benefit rolls, consultations); groups that appear in fewer systems are missed more. Read the");
        L("gaps before use; a worker reviews every flag.");
        L();
        L("## Must not be used for");
        L();
        L("- Deciding anything about a child or family without a person's judgement (the 三重 lesson: a percentage fed a decision).");
        L("- Removing support, sanctions, eligibility or priority for services; benefit decisions of any kind.");
        L("- Reading a low probability as \"no risk\": missing data is unknown, and the missing indicators show it.");
        L("- Comparing or ranking schools, areas or staff; use outside the purpose recorded for these data (こどもの早期支援).");
        L("- Another municipality or another year without retraining and re-checking calibration and group gaps.");
        L();
        L("## Features");
        L();
        L("| column | group | explanation (ja) | explanation (en) |");
        L("|---|---|---|---|");
        foreach (var c in schema.Columns)
        {
            L($"| {c.Name} | {c.Group} | {c.Ja} | {c.En} |");
        }

        return s.ToString();
    }
}
