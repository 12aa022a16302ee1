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
    public static LinkSummary Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, string? feedsDir = null, string? dataDir = null, bool full = false, bool measureBlockingRecall = true)
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
        using var steps = new Steps();
        var (summary, detail) = ResolveAndSave(database, referenceDate, clock, log, steps, feedsDir, dataDir, measureBlockingRecall);

        // The records, their keys and the resolution are let go before the households are rebuilt: at a city's scale
        // they are most of the link's memory, and the rebuild reads the registry again.
        PhaseMemory.Release(log, "link", "before the households");
        HouseholdHistoryLog.Rebuild(database, log);
        steps.Lap("households");
        log.Line("link: seconds (clock/processor) " + steps);
        RunLog.Finish(database, run, clock.GetUtcNow(), summary.Stats.Records, "succeeded", detail);
        log.Line($"link: {summary.Persons:N0} persons");
        return summary;
    }

    /// <summary>Loads, trains, resolves and saves; returns what the run reports, so that nothing larger outlives it.</summary>
    private static (LinkSummary Summary, string Detail) ResolveAndSave(
        MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, Steps steps, string? feedsDir, string? dataDir, bool measureBlockingRecall)
    {
        var loaded = LinkageStore.LoadForLinking(database);
        var recordKeys = loaded.Keys;
        IReadOnlyList<LinkRecord>? records = loaded.Records;
        loaded = default;
        var recordCount = records.Count;
        log.Line($"link: {recordCount:N0} records loaded");
        steps.Lap("load");

        // Training and resolution derive the records' comparison keys once, sharing the texts equal names give.
        RegistryTrainingResult training;
        LinkResult result;
        using (LinkKeys.ShareTexts())
        {
            // m, u and the prior estimated on this data, starting from the default model (EM; u from random pairs).
            training = RegistryTraining.Train(records, LinkageModel.Default);
            log.Line(string.Create(CultureInfo.InvariantCulture, $"link: model {training.Model.Version}: u from {training.SampledPairs:N0} random pairs, EM on {training.CandidatePairs:N0} candidate pairs {(training.Converged ? "converged" : "did NOT converge")} after {training.Iterations} iterations; prior {training.Prior:0.####}"));
            steps.Lap("train");
            result = IdentityResolver.Resolve(records, training.Model, counts =>
            {
                steps.Lap("block");
                foreach (var rule in counts)
                {
                    log.Line(string.Create(CultureInfo.InvariantCulture, $"link: blocking {rule.Rule}: {rule.Pairs:N0} new candidate pairs, {rule.SharedPairs:N0} in all{(rule.SkippedBlocks > 0 ? $" ({rule.SkippedBlocks:N0} blocks over {RegistryBlocking.MaxBlock} skipped)" : string.Empty)}"));
                }
            });
            var s = result.Stats;
            log.Line($"link: {s.DistinctIdentities:N0} distinct identities, {s.CandidatePairs:N0} candidate pairs scored; {s.LinkedByAtena:N0} linked on 宛名番号, {s.LinkedProbabilistic:N0} probabilistically, {s.NewPersons:N0} new persons, {s.Review:N0} pairs for review; {s.ReturnedNumbers:N0} later 宛名番号 joined to the earlier number of a resident who came back");
            steps.Lap("score");
        }

        var detail = training.Model.ToJson(new TrainingSummary(training.Converged, training.Iterations, training.Prior, training.SampledPairs, training.CandidatePairs), result.Blocking);
        var summary = new LinkSummary(result.Stats, result.Persons.Count, result.Blocking);

        var root = feedsDir is null ? null : Path.GetDirectoryName(Path.GetFullPath(feedsDir));
        var truthDir = root is null || !measureBlockingRecall ? null : Path.Combine(root, "truth");
        truthDir = truthDir is not null && File.Exists(Path.Combine(truthDir, "records.csv")) ? truthDir : null;
        RecallFigures? recall = null;
        if (truthDir is null)
        {
            // Estimated from the links just made, which needs nothing stored: done before the save, so that the spine's
            // blocking index and every record but the persons' own are let go while the save runs.
            recall = BlockingRecall(database, records, result, null, log);
            steps.Skip();
            result = result with { SpineBlocking = null };
            records = null;
            PhaseMemory.Release(log, "link", "before the save");
        }

        LinkageStore.Save(database, result, referenceDate, clock.GetUtcNow(), recordKeys);
        steps.Lap("save");
        if (truthDir is not null)
        {
            // Measured against the truth through the persons the save stored (a synthetic municipality's evaluation).
            recall = BlockingRecall(database, records!, result, truthDir, log);
            steps.Skip();
        }

        if ((dataDir ?? root) is { } reportDir && recall is not null)
        {
            Directory.CreateDirectory(reportDir);
            File.WriteAllText(Path.Combine(reportDir, BlockingReportFile), JsonSerializer.Serialize(Report(summary, recall, recordCount)));
        }

        return (summary, detail);
    }

    /// <summary>Clock and processor seconds per step: on a shared machine the clock also counts the neighbours' work.</summary>
    private sealed class Steps : IDisposable
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();
        private readonly Process process = Process.GetCurrentProcess();
        private readonly List<(string Step, double Clock, double Cpu)> seconds = [];
        private TimeSpan cpu;

        public Steps() => cpu = process.TotalProcessorTime;

        public void Lap(string step)
        {
            process.Refresh();
            var now = process.TotalProcessorTime;
            seconds.Add((step, watch.Elapsed.TotalSeconds, (now - cpu).TotalSeconds));
            cpu = now;
            watch.Restart();
        }

        /// <summary>Leaves the time since the last step out (an evaluation, not a step of the link).</summary>
        public void Skip()
        {
            process.Refresh();
            cpu = process.TotalProcessorTime;
            watch.Restart();
        }

        public void Dispose() => process.Dispose();

        public override string ToString() => string.Join(", ", seconds.Select(step => string.Create(CultureInfo.InvariantCulture, $"{step.Step} {step.Clock:0.0}/{step.Cpu:0.0}")));
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

    private static Dictionary<string, object> Report(LinkSummary summary, RecallFigures recall, int records) => new()
    {
        ["records"] = records,
        ["recall_kind"] = recall.Kind,
        ["recall"] = Math.Round(recall.Union, 4),
        ["matching_pairs"] = recall.MatchingPairs,
        ["candidate_pairs"] = summary.Stats.CandidatePairs,
        ["rules"] = summary.Blocking.Select((r, k) => new Dictionary<string, object>
        {
            ["rule"] = r.Rule,
            ["pairs"] = r.Pairs,
            ["shared_pairs"] = r.SharedPairs,
            ["skipped_blocks"] = r.SkippedBlocks,
            ["recall"] = Math.Round(recall.PerRule[k], 4),
        }).ToList(),
    };
}
