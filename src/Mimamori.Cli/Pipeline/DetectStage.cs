using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mimamori.Cli.Console;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Model;
using Mimamori.Needs.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;
using Mimamori.Storage.Reading;

namespace Mimamori.Cli.Pipeline;

/// <summary>What detection does beyond the rules: where labels and outputs are, and the team's capacity.</summary>
public sealed record DetectOptions
{
    /// <summary>The data folder (pseudonym key, model card, outcome history); null: no files written.</summary>
    public string? DataDir { get; init; }

    /// <summary>A synthetic municipality's truth folder (labels for the demo); null or absent: none.</summary>
    public string? TruthDir { get; init; }

    /// <summary>Write one row per child with its features, split, label and score here.</summary>
    public string? ExportFeatures { get; init; }

    /// <summary>Write the model card (Markdown) here; by default DATA/model-card.md when a model is trained.</summary>
    public string? ModelCard { get; init; }

    /// <summary>The share of children a team can look at in a month.</summary>
    public double Capacity { get; init; } = 0.01;

    /// <summary>Reassess every child and train the model again (when outcome labels exist), whatever changed.</summary>
    public bool Full { get; init; }

    /// <summary>
    /// Reassess every child, keeping the stored model unless it is due to be trained again: what an incremental run
    /// must equal (the tests compare the two); no command sets it.
    /// </summary>
    public bool AllChildren { get; init; }

    /// <summary>A stored model older than this many days is trained again (when outcome labels exist).</summary>
    public int ModelMaxAgeDays { get; init; } = 30;

    /// <summary>The options the whole pipeline uses when it knows only the feeds folder (DATA/synth/feeds).</summary>
    public static DetectOptions FromFeedsDir(string feedsDir)
    {
        var synth = Path.GetDirectoryName(Path.GetFullPath(feedsDir).TrimEnd(Path.DirectorySeparatorChar));
        return new DetectOptions { TruthDir = synth is null ? null : Path.Combine(synth, "truth"), DataDir = synth is null ? null : Path.GetDirectoryName(synth) };
    }
}

/// <summary>
/// Need detection: every child's linked facts through the rule catalog, one assessment per difficulty; then the
/// statistical model — trained when outcome labels exist (the synthetic truth, or the municipality's own history),
/// otherwise the stored model — gives each child a calibrated probability, its band and its top reasons.
/// </summary>
public static partial class DetectStage
{
    public const string Outcome = "confirmed_need";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Assesses the children and scores them. When the last run used the same rule catalog, feature catalog, model and
    /// reference date, only the children whose inputs a link changed since are reassessed — persons the link changed
    /// and everyone in the households they left or joined — and their assessments, scores and places in the worklist
    /// ranking are replaced; the result equals reassessing everyone. The model is trained again only with
    /// <see cref="DetectOptions.Full"/>, when the outcome labels changed, or when it is older than
    /// <see cref="DetectOptions.ModelMaxAgeDays"/>.
    /// </summary>
    /// <param name="shared">Linked facts of everyone, loaded only when a full run needs them (outreach may share them).</param>
    /// <returns>The assessments made by this run (of the children reassessed).</returns>
    public static IReadOnlyList<NeedAssessment> Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, DetectOptions? options = null, SharedFacts? shared = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(clock);
        var catalog = RuleCatalog.Default;
        options ??= new DetectOptions();
        var run = RunLog.Start(database, "detect", clock.GetUtcNow());
        // What this run sees: changes a later link makes are the next run's.
        var generation = PersonChanges.Latest(database);
        var lastRecord = PersonChanges.LatestRecord(database);
        var last = DetectRun.Last(database);
        var labels = LabelSource(options);
        var storedAt = ModelStore.LatestModelCreatedAt(database, Outcome);
        var storedVersion = storedAt is null ? null : ModelStore.LatestModelVersion(database, Outcome);
        var train = labels is null ? null : TrainReason(options, last, labels, storedAt, clock.GetUtcNow());
        var changes = last?.Generation is { } seen ? PersonChanges.Since(database, seen) : null;
        var fullReason = FullReason(options, last, referenceDate, train, storedVersion, changes, catalog.Version);
        shared ??= new SharedFacts(database, log);

        IReadOnlyList<NeedAssessment> result;
        string? modelVersion;
        string mode;
        if (fullReason is null && changes is not null && last is not null)
        {
            (result, modelVersion) = Incremental(database, referenceDate, run, log, changes, shared.Changed(last.Generation!.Value, changes), last.MaxRecord, catalog);
            mode = "incremental";
        }
        else
        {
            log.Line($"detect: mode full: {fullReason}");
            var facts = shared.All();
            var scorer = new NeedScorer(catalog, referenceDate);
            var children = facts.Children().ToList();
            var assessments = children.SelectMany(scorer.Assess).ToList();
            AssessmentStore.SaveAssessments(database, assessments, catalog.Version);
            NeedSnapshots.Save(database, run, referenceDate);
            var flagged = assessments.Where(a => a.Band is "high" or "medium").Select(a => a.PersonId).Distinct().Count();
            log.Line($"detect: {assessments.Count:N0} assessments as of {referenceDate:yyyy-MM-dd}; {flagged:N0} children with a medium or high band");
            if (train is not null)
            {
                log.Line($"detect: the model is trained: {train}");
            }

            modelVersion = Model(database, referenceDate, clock, log, facts, children, assessments, options, train is not null);
            result = assessments;
            mode = "full";
        }

        var detail = new System.Text.Json.Nodes.JsonObject
        {
            ["rules"] = catalog.Version,
            ["model"] = modelVersion ?? string.Empty,
            ["features"] = FeatureCatalog.Default.Version,
            ["reference_date"] = referenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["mode"] = mode,
            ["link_generation"] = generation,
            ["max_record"] = lastRecord,
            // The labels the model in use was trained on (or tried on): this run's when it trained, else the last run's.
            ["labels"] = train is not null ? labels : last?.Labels,
            ["reassessed"] = result.Select(a => a.PersonId).Distinct().Count(),
        };
        RunLog.Finish(database, run, clock.GetUtcNow(), result.Count, "succeeded", detail.ToJsonString());
        return result;
    }

    /// <summary>Reassesses only the children a link changed since the last run, with the stored model.</summary>
    private static (IReadOnlyList<NeedAssessment> Assessments, string? Model) Incremental(MimamoriDatabase database, DateOnly referenceDate, long run, ProgressLog log, ChangesSince changes, LinkedFacts facts, long schoolsAfterRecord, RuleCatalog catalog)
    {
        var children = facts.Children().ToList();
        log.Line(string.Create(CultureInfo.InvariantCulture, $"detect: mode incremental: {children.Count:N0} children reassessed ({changes.Persons.Count:N0} persons and {changes.Households.Count:N0} households changed by the link)"));
        var scorer = new NeedScorer(catalog, referenceDate);
        var assessments = children.SelectMany(scorer.Assess).ToList();

        // Everyone read, and everyone the link changed (a person no longer a child, or no longer known, loses theirs).
        var affected = new HashSet<long>(changes.Persons);
        affected.UnionWith(facts.Persons.Keys);
        AssessmentStore.ReplaceAssessments(database, affected, assessments, catalog.Version, schoolsAfterRecord);
        NeedSnapshots.Save(database, run, referenceDate);
        var flagged = assessments.Where(a => a.Band is "high" or "medium").Select(a => a.PersonId).Distinct().Count();
        log.Line($"detect: {assessments.Count:N0} assessments as of {referenceDate:yyyy-MM-dd} replaced; {flagged:N0} of the children reassessed with a medium or high band");

        if (ModelStore.LatestModel(database, Outcome) is not { } stored)
        {
            return (assessments, null);
        }

        using var buffer = new MemoryStream(stored.Model);
        var model = NeedModel.Load(buffer);
        var features = FeaturesAt(facts, children, assessments.ToLookup(a => a.PersonId), referenceDate, out var schema);
        if (model.Schema.Hash() != schema.Hash())
        {
            log.Line($"detect: the stored model {model.Version} was built on other features; no model scores (train it again with outcome labels)");
            return (assessments, null);
        }

        var scores = model.Score(features);
        ModelStore.SaveScores(database, Outcome, affected, Stored(model, features, scores));
        log.Line(string.Create(CultureInfo.InvariantCulture, $"detect: {scores.Count:N0} children scored by {model.Version}, the stored model"));
        return (assessments, model.Version);
    }

    /// <summary>Why every child is reassessed this time; null when only the changed ones need to be.</summary>
    private static string? FullReason(DetectOptions options, DetectRun? last, DateOnly referenceDate, string? train, string? storedVersion, ChangesSince? changes, string rules)
    {
        var date = referenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return options switch
        {
            { Full: true } => "--full",
            { AllChildren: true } => "every child asked for",
            { ExportFeatures: not null } => "features are exported for every child",
            _ when last is null => "no earlier detect run",
            _ when last.Rules != rules => $"the rule catalog changed ({last.Rules} → {rules})",
            _ when last.Features != FeatureCatalog.Default.Version => $"the feature catalog changed ({last.Features} → {FeatureCatalog.Default.Version})",
            _ when last.ReferenceDate != date => $"the reference date changed ({last.ReferenceDate} → {date})",
            _ when train is not null => "the model is trained again: " + train,
            _ when (last.Model ?? string.Empty) != (storedVersion ?? string.Empty) => $"the stored model is not the one the last run used ({last.Model} → {storedVersion})",
            _ when changes is null => "the last run did not record which link it saw",
            _ when changes.All => "everything may have changed since the last run (a first link, a purge, or more links than are kept)",
            _ => null,
        };
    }

    /// <summary>Why the model is trained this time; null when the stored one is kept.</summary>
    private static string? TrainReason(DetectOptions options, DetectRun? last, string labels, DateTimeOffset? storedAt, DateTimeOffset now)
    {
        if (options.Full)
        {
            return "--full";
        }

        if (last is null)
        {
            return "no earlier detect run";
        }

        if (last.Labels != labels)
        {
            return "the outcome labels changed";
        }

        if (storedAt is null)
        {
            // The same labels gave too few children with the outcome last time: they would again.
            return last.Model is { Length: > 0 } ? "no stored model" : null;
        }

        var age = (now - storedAt.Value).TotalDays;
        return age > options.ModelMaxAgeDays ? string.Create(CultureInfo.InvariantCulture, $"the model is {age:0} days old (more than {options.ModelMaxAgeDays})") : null;
    }

    /// <summary>A fingerprint of where the outcome labels come from (the truth's outcomes, or the outcome history); null when there are none.</summary>
    private static string? LabelSource(DetectOptions options)
    {
        string? file = null;
        if (options.TruthDir is not null && File.Exists(Path.Combine(options.TruthDir, "outcomes.csv")) && File.Exists(Path.Combine(options.TruthDir, "records.csv")))
        {
            file = Path.Combine(options.TruthDir, "outcomes.csv");
        }
        else if (options.DataDir is not null && File.Exists(OutcomeLabels.HistoryFile(options.DataDir)))
        {
            file = OutcomeLabels.HistoryFile(options.DataDir);
        }

        if (file is null)
        {
            return null;
        }

        using var stream = File.OpenRead(file);
        return Path.GetFileName(file) + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static IEnumerable<StoredScore> Stored(NeedModel model, List<ChildFeatures> features, IReadOnlyList<ModelScore> scores)
    {
        var byPerson = features.ToDictionary(f => f.PersonId);
        return scores.Select(s =>
        {
            var f = byPerson[s.PersonId];
            return new StoredScore(
                s.PersonId, Outcome, model.Version, HouseholdSplit.Name(HouseholdSplit.Of(f.HouseholdKey)), Math.Round(s.Probability, 6), s.Band,
                JsonSerializer.Serialize(s.Top.Select(c => new { feature = c.Feature, group = c.Group, contribution = c.Value, ja = c.Ja, en = c.En }), Json),
                ModelStore.InputsJson(f.Values), f.FirstSignal?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        });
    }

    /// <summary>What the last successful detect run recorded.</summary>
    private sealed record DetectRun(string? Rules, string? Model, string? Features, string? ReferenceDate, long? Generation, long MaxRecord, string? Labels)
    {
        public static DetectRun? Last(MimamoriDatabase database)
        {
            if (RunLog.LastDetail(database, "detect") is not { } detail || System.Text.Json.Nodes.JsonNode.Parse(detail) is not System.Text.Json.Nodes.JsonObject json)
            {
                return null;
            }

            string? Text(string name) => json[name]?.GetValue<string>();
            long? Number(string name) => json[name] is { } n ? n.GetValue<long>() : null;
            return new DetectRun(Text("rules"), Text("model"), Text("features"), Text("reference_date"), Number("link_generation"), Number("max_record") ?? 0, Text("labels"));
        }
    }

    private static string? Model(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, LinkedFacts facts, List<ChildFacts> children, List<NeedAssessment> assessments, DetectOptions options, bool train)
    {
        var watch = Stopwatch.StartNew();
        var features = FeaturesAt(facts, children, assessments.ToLookup(a => a.PersonId), referenceDate, out var schema);
        var buildSeconds = watch.Elapsed.TotalSeconds;

        // Labels are data: the synthetic truth when present, else the municipality's outcome history.
        TrainingResult? trained = null;
        Dictionary<long, bool>? labels = null;
        // What both ways of training share; each sets only when its features were taken and how its labels were observed.
        var training = new TrainingOptions
        {
            Outcome = Outcome,
            Capacity = options.Capacity,
            Groups = Groups(database, features, schema),
            Bands = FeatureCatalog.Default.Bands,
            Grid = FeatureCatalog.Default.TreeGrid(),
            ProcessorTime = () => Process.GetCurrentProcess().TotalProcessorTime,
        };
        if (!train)
        {
            // The stored model is kept: labels are read only for a feature export.
            if (options.ExportFeatures is not null)
            {
                labels = options.TruthDir is null ? null : OutcomeLabels.FromTruth(database, options.TruthDir, Outcome);
            }
        }
        else if (options.TruthDir is not null && OutcomeLabels.FromTruth(database, options.TruthDir, Outcome) is { } truth)
        {
            labels = truth;
            trained = ModelTrainer.Train(features, truth, schema, training with
            {
                FeaturesAsOf = referenceDate,
                OutcomeWindow = $"within 12 months after {referenceDate:yyyy-MM-dd}, from the synthetic municipality's ground truth",
            });
        }
        else if (options.DataDir is not null && File.Exists(OutcomeLabels.HistoryFile(options.DataDir)))
        {
            // History: features as they were a year ago, labels from what happened in the year since.
            var past = referenceDate.AddMonths(-12);
            var pastScorer = new NeedScorer(RuleCatalog.Default, past);
            var pastFeatures = FeaturesAt(facts, children, children.SelectMany(pastScorer.Assess).ToLookup(a => a.PersonId), past, out _);
            labels = OutcomeLabels.FromHistory(database, OutcomeLabels.HistoryFile(options.DataDir), Outcome, past, referenceDate, children.Select(c => c.PersonId));
            trained = ModelTrainer.Train(pastFeatures, labels!, schema, training with
            {
                FeaturesAsOf = past,
                OutcomeWindow = $"recorded in the municipality's outcome history between {past:yyyy-MM-dd} and {referenceDate:yyyy-MM-dd}",
            });
        }

        NeedModel? model;
        if (trained is not null)
        {
            model = trained.Model;
            using var buffer = new MemoryStream();
            model.Save(buffer);
            ModelStore.SaveModel(database, model.Version, Outcome, clock.GetUtcNow(), ModelCard.Json(trained.Report), buffer.ToArray());
            var card = ModelCard.Markdown(trained.Report, schema);
            var cardPath = options.ModelCard ?? (options.DataDir is null ? null : Path.Combine(options.DataDir, "model-card.md"));
            if (cardPath is not null)
            {
                File.WriteAllText(cardPath, card, new UTF8Encoding(false));
            }

            var r = trained.Report;
            foreach (var t in r.Tried)
            {
                log.Line(string.Create(CultureInfo.InvariantCulture, $"detect: tried {t.Parameters}: calibration AUC {t.CalibrationAuc:0.000}, test AUC {t.TestAuc:0.000}, {t.Seconds:0.0} s"));
            }

            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"detect: model {model.Version} trained in {r.TrainingSeconds:0.0} s ({r.TrainingCpuSeconds:0.0} s processor) on {r.FitChildren:N0} children, {r.Folds} folds, logistic share {r.LinearShare:0.00}; test AUC {r.Auc:0.000} (trees alone {r.AucTreesOnly:0.000}, rules {r.AucRulesOnly:0.000}, logistic {r.AucLogistic:0.000}), ECE {r.Ece:0.000}"));
        }
        else if (ModelStore.LatestModel(database, Outcome) is { } stored)
        {
            using var buffer = new MemoryStream(stored.Model);
            model = NeedModel.Load(buffer);
            if (model.Schema.Hash() != schema.Hash())
            {
                log.Line($"detect: the stored model {model.Version} was built on other features; no model scores (train it again with outcome labels)");
                model = null;
            }
        }
        else
        {
            log.Line(labels is null
                ? "detect: no outcome labels (truth or DATA/outcomes/history.csv) and no stored model: rule scores only"
                : "detect: too few children with the outcome to train a model honestly: rule scores only");
            model = null;
        }

        if (model is null)
        {
            if (options.ExportFeatures is not null)
            {
                Export(options.ExportFeatures, options.DataDir, features, schema, labels, null);
            }

            return null;
        }

        watch.Restart();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var scores = model.Score(features);
        var scoreSeconds = watch.Elapsed.TotalSeconds;
        var scoreCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        ModelStore.SaveScores(database, Outcome, Stored(model, features, scores));
        var bands = scores.GroupBy(s => s.Band).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"detect: {scores.Count:N0} children scored by {model.Version} (features {buildSeconds:0.0} s, scoring {scoreSeconds:0.0} s, {scoreCpu:0.0} s processor); high {bands.GetValueOrDefault("high"):N0}, medium {bands.GetValueOrDefault("medium"):N0}"));
        if (options.ExportFeatures is not null)
        {
            Export(options.ExportFeatures, options.DataDir, features, schema, labels, scores.ToDictionary(s => s.PersonId, s => s.Probability));
        }

        if (options.ModelCard is not null && trained is null && ModelStore.LatestModel(database, Outcome) is { } latest && ModelCard.FromJson(latest.Card) is { } report)
        {
            File.WriteAllText(options.ModelCard, ModelCard.Markdown(report, model.Schema), new UTF8Encoding(false));
        }

        return model.Version;
    }

    /// <summary>Every child's features at a date, with the registry's household make-up at that date.</summary>
    private static List<ChildFeatures> FeaturesAt(LinkedFacts facts, List<ChildFacts> children, ILookup<long, NeedAssessment> assessments, DateOnly at, out FeatureSchema schema)
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, at);
        schema = builder.Schema;
        var result = new List<ChildFeatures>(children.Count);
        foreach (var child in children)
        {
            ChildContext? context = null;
            if (facts.Persons.TryGetValue(child.PersonId, out var person) && person.HouseholdNo is { } h && facts.Households.TryGetValue(h, out var members))
            {
                var adults = 0;
                var minors = 0;
                foreach (var m in members)
                {
                    var birth = facts.Persons.TryGetValue(m, out var mp) && mp.BirthDate is { } b ? DateOnly.ParseExact(b, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null;
                    if (birth is { } bd && NeedScorer.AgeAt(bd, at) >= 18)
                    {
                        adults++;
                    }
                    else if (birth is not null)
                    {
                        minors++;
                    }
                }

                context = new ChildContext("household:" + h, adults, minors);
            }

            result.Add(builder.Build(child, context, assessments[child.PersonId]));
        }

        return result;
    }

    /// <summary>The groups results are compared across: single-adult household, disability, area (町名 from the address).</summary>
    private static Dictionary<long, IReadOnlyDictionary<string, string>> Groups(MimamoriDatabase database, List<ChildFeatures> features, FeatureSchema schema)
    {
        var address = ModelStore.PersonAddresses(database).ToDictionary(p => p.PersonId, p => p.Address);
        var single = schema.IndexOf("single_adult_household");
        var disability = schema.IndexOf("disability_certificate");
        var foreign = schema.IndexOf("foreign_national");
        var result = new Dictionary<long, IReadOnlyDictionary<string, string>>();
        foreach (var f in features)
        {
            var g = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["single_adult_household"] = YesNo(f.Values[single]),
                ["area"] = Area(address.GetValueOrDefault(f.PersonId)),
            };
            if (disability >= 0)
            {
                g["disability"] = YesNo(f.Values[disability]);
            }

            if (foreign >= 0)
            {
                g["foreign_national"] = YesNo(f.Values[foreign]);
            }

            result[f.PersonId] = g;
        }

        return result;
    }

    private static string YesNo(double v) => double.IsNaN(v) ? "unknown" : v > 0 ? "yes" : "no";

    /// <summary>The town name: the address up to its first number, without 丁目 (larger groups, steadier figures).</summary>
    private static string Area(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "unknown";
        }

        var m = TownPart().Match(address);
        return m.Success && m.Groups["town"].Length > 0 ? m.Groups["town"].Value : "unknown";
    }

    [GeneratedRegex(@"^(?<town>[^0-9０-９一二三四五六七八九十]+)")]
    private static partial Regex TownPart();

    /// <summary>One row per child: pseudonymous keys, split, label, calibrated score, then every feature (unknown left empty).</summary>
    private static void Export(string path, string? dataDir, List<ChildFeatures> features, FeatureSchema schema, Dictionary<long, bool>? labels, Dictionary<long, double>? scores)
    {
        var pseudonyms = Pseudonyms.ForInstallation(dataDir ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine("child_key,household_key,split,label,score," + string.Join(',', schema.Columns.Select(c => c.Name)));
        var line = new StringBuilder();
        foreach (var f in features)
        {
            line.Clear();
            line.Append(pseudonyms.Of("person:" + f.PersonId.ToString(CultureInfo.InvariantCulture))).Append(',')
                .Append(pseudonyms.Of(f.HouseholdKey)).Append(',')
                .Append(HouseholdSplit.Name(HouseholdSplit.Of(f.HouseholdKey))).Append(',')
                .Append(labels is not null && labels.TryGetValue(f.PersonId, out var y) ? (y ? "1" : "0") : string.Empty).Append(',')
                .Append(scores is not null && scores.TryGetValue(f.PersonId, out var s) ? s.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty);
            foreach (var v in f.Values)
            {
                line.Append(',');
                if (!double.IsNaN(v))
                {
                    line.Append(v.ToString("0.######", CultureInfo.InvariantCulture));
                }
            }

            writer.WriteLine(line);
        }

    }
}
