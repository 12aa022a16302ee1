using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Training;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>Identity resolution over the current records; the model used is stored with the run.</summary>
public static class LinkStage
{
    /// <summary>The blocking report's file name in the data folder, which <c>evaluate</c> reads.</summary>
    public const string BlockingReportFile = "linkage-blocking.json";

    /// <param name="feedsDir">The exports linked; when a synthetic municipality's <c>truth/</c> lies beside them, blocking recall is measured against it.</param>
    /// <param name="dataDir">Where the blocking report is written (default: the folder above the feeds).</param>
    /// <param name="full">Relink everything even when only new batches arrived since the last link.</param>
    /// <param name="measureBlockingRecall">
    /// Measure blocking recall against a synthetic municipality's truth when it is there. <c>bench</c> leaves it out:
    /// it is an evaluation a municipality, which has no truth, never runs, and at a million residents it takes as long
    /// as a step of the link.
    /// </param>
    public static LinkResult Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, string? feedsDir = null, string? dataDir = null, bool full = false, bool measureBlockingRecall = true)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (full)
        {
            log.Line("link: mode full: --full");
        }
        else if (IncrementalLink.TryRun(database, referenceDate, clock, log) is { } incremental)
        {
            return incremental;
        }

        var run = RunLog.Start(database, "link", clock.GetUtcNow());
        // Clock and processor seconds per step: on a shared machine the clock also counts the neighbours' work.
        var watch = Stopwatch.StartNew();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var seconds = new List<(string Step, double Clock, double Cpu)>();
        void Lap(string step)
        {
            process.Refresh();
            var now = process.TotalProcessorTime;
            seconds.Add((step, watch.Elapsed.TotalSeconds, (now - cpu).TotalSeconds));
            cpu = now;
            watch.Restart();
        }

        var (records, recordKeys) = LinkageStore.LoadForLinking(database);
        log.Line($"link: {records.Count:N0} records loaded");
        Lap("load");

        // m, u and the prior estimated on this data, starting from the default model (EM; u from random pairs).
        var training = RegistryTraining.Train(records, LinkageModel.Default);
        var model = training.Model;
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: model {model.Version}: u from {training.SampledPairs:N0} random pairs, EM on {training.CandidatePairs:N0} candidate pairs {(training.Converged ? "converged" : "did NOT converge")} after {training.Iterations} iterations; prior {training.Prior:0.####}"));
        Lap("train");
        var result = IdentityResolver.Resolve(records, model, counts =>
        {
            Lap("block");
            foreach (var rule in counts)
            {
                log.Line(string.Create(CultureInfo.InvariantCulture, $"link: blocking {rule.Rule}: {rule.Pairs:N0} new candidate pairs, {rule.SharedPairs:N0} in all{(rule.SkippedBlocks > 0 ? $" ({rule.SkippedBlocks:N0} blocks over {RegistryBlocking.MaxBlock} skipped)" : string.Empty)}"));
            }
        });
        var s = result.Stats;
        log.Line($"link: {s.DistinctIdentities:N0} distinct identities, {s.CandidatePairs:N0} candidate pairs scored; {s.LinkedByAtena:N0} linked on 宛名番号, {s.LinkedProbabilistic:N0} probabilistically, {s.NewPersons:N0} new persons, {s.Review:N0} pairs for review; {s.ReturnedNumbers:N0} later 宛名番号 joined to the earlier number of a resident who came back");
        Lap("score");
        LinkageStore.Save(database, result, referenceDate, clock.GetUtcNow(), recordKeys);
        Lap("save");
        HouseholdHistoryLog.Rebuild(database, log);
        Lap("households");
        log.Line("link: seconds (clock/processor) " + string.Join(", ", seconds.Select(step => string.Create(CultureInfo.InvariantCulture, $"{step.Step} {step.Clock:0.0}/{step.Cpu:0.0}"))));
        RunLog.Finish(database, run, clock.GetUtcNow(), records.Count, "succeeded", model.ToJson(new TrainingSummary(training.Converged, training.Iterations, training.Prior, training.SampledPairs, training.CandidatePairs), result.Blocking));
        log.Line($"link: {result.Persons.Count:N0} persons");

        var root = feedsDir is null ? null : Path.GetDirectoryName(Path.GetFullPath(feedsDir));
        var truthDir = root is null || !measureBlockingRecall ? null : Path.Combine(root, "truth");
        var recall = BlockingRecall(database, records, result, truthDir is not null && File.Exists(Path.Combine(truthDir, "records.csv")) ? truthDir : null, log);
        if ((dataDir ?? root) is { } reportDir && recall is not null)
        {
            Directory.CreateDirectory(reportDir);
            File.WriteAllText(Path.Combine(reportDir, BlockingReportFile), JsonSerializer.Serialize(Report(result, recall, records.Count)));
        }

        return result;
    }

    /// <summary>
    /// Each rule's pair recall against the registry spine, printed: measured when the truth is at hand (records are
    /// labelled through the persons they were linked to; records of a person whose records belong to more than one
    /// true person are left out), else estimated as each rule's share of the links made to the spine.
    /// </summary>
    private static RecallFigures? BlockingRecall(MimamoriDatabase database, IReadOnlyList<LinkRecord> records, LinkResult result, string? truthDir, ProgressLog log)
    {
        if (result.SpineBlocking is not { } spine)
        {
            return null;
        }

        Func<long, string?>? truthOf = null;
        if (truthDir is not null)
        {
            var truthRecord = new Dictionary<(string, string, long), string>();
            foreach (var r in TruthFile.Read(Path.Combine(truthDir, "records.csv")))
            {
                truthRecord[(r["source"], r["file"], long.Parse(r["line"], CultureInfo.InvariantCulture))] = r["person_id"];
            }

            var truthOfPerson = new Dictionary<long, string?>();
            foreach (var (source, file, line, personId, _) in EvaluationQueries.LinkedRecords(database))
            {
                if (!truthRecord.TryGetValue((source, file, line), out var t))
                {
                    continue;
                }

                // Once two true persons meet in one person, it stays mixed (null).
                truthOfPerson[personId] = truthOfPerson.TryGetValue(personId, out var seen) && seen != t ? null : t;
            }

            var personOfRecord = EvaluationQueries.PersonOfRecord(database);
            var mixed = truthOfPerson.Count(p => p.Value is null);
            if (mixed > 0)
            {
                log.Line($"link: {mixed:N0} persons hold records of more than one true person; their records are left out of the blocking recall");
            }

            truthOf = id => personOfRecord.TryGetValue(id, out var p) ? truthOfPerson.GetValueOrDefault(p) : null;
        }

        var recall = spine.Recall(records, result, truthOf);
        for (var rule = 0; rule < RegistryBlocking.Rules.Count; rule++)
        {
            log.Line(string.Create(CultureInfo.InvariantCulture, $"link: blocking {RegistryBlocking.Rules[rule]}: pair recall {recall.PerRule[rule]:0.0000} ({Kind(recall)})"));
        }

        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: blocking, all rules: pair recall {recall.Union:0.0000} over {recall.MatchingPairs:N0} pairs ({Kind(recall)})"));
        return recall;
    }

    private static string Kind(RecallFigures recall) => recall.Kind == "measured"
        ? "measured against truth/: department identities and their registry person"
        : "estimated: share of the links made to the registry";

    private static Dictionary<string, object> Report(LinkResult result, RecallFigures recall, int records) => new()
    {
        ["records"] = records,
        ["recall_kind"] = recall.Kind,
        ["recall"] = Math.Round(recall.Union, 4),
        ["matching_pairs"] = recall.MatchingPairs,
        ["candidate_pairs"] = result.Stats.CandidatePairs,
        ["rules"] = result.Blocking.Select((r, k) => new Dictionary<string, object>
        {
            ["rule"] = r.Rule,
            ["pairs"] = r.Pairs,
            ["shared_pairs"] = r.SharedPairs,
            ["skipped_blocks"] = r.SkippedBlocks,
            ["recall"] = Math.Round(recall.PerRule[k], 4),
        }).ToList(),
    };
}
