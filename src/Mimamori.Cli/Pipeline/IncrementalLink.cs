using System.Globalization;
using System.Text.Json.Nodes;
using Mimamori.Cli.Console;
using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// The link stage's incremental mode: only the records of batches imported since the last link are scored, against
/// the persons of the last run, with the last run's model (docs/review.md). When the store says a full relink is
/// needed, nothing is done here and the reason is printed.
/// </summary>
public static class IncrementalLink
{
    /// <summary>The version a full run's model carries now (the default specification, trained by EM).</summary>
    public static string ModelVersion => LinkageModel.Default.Version + "-em";

    /// <summary>Links incrementally and returns what it did, or returns null (after printing why) when a full relink is needed.</summary>
    public static LinkSummary? TryRun(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(clock);
        // The night's seconds per step, printed: a night should cost a small share of a full run.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var seconds = new List<string>();
        void Lap(string step)
        {
            seconds.Add(string.Create(CultureInfo.InvariantCulture, $"{step} {watch.Elapsed.TotalSeconds:0.0}"));
            watch.Restart();
        }

        var saved = PlanResolveAndSave(database, referenceDate, clock, log, Lap);
        if (saved is not { } done)
        {
            return null;
        }

        // Only the persons this save changed, and their households: the rest are as the last link left them. The plan
        // and the resolution (every current record, at a city's scale) are let go first.
        HouseholdHistoryLog.Update(database, log);
        Lap("households");
        log.Line("link: seconds " + string.Join(", ", seconds));
        RunLog.Finish(database, done.Run, clock.GetUtcNow(), done.Summary.Stats.Records, "succeeded", done.Detail);
        log.Line($"link: {done.Summary.Persons:N0} persons");
        return done.Summary;
    }

    private static (LinkSummary Summary, long Run, string Detail)? PlanResolveAndSave(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, Action<string> lap)
    {
        var plan = IncrementalLinkStore.Plan(database, ModelVersion);
        if (plan.FullReason is { } reason || plan.Base is not { } basis || plan.Model is not { } model)
        {
            log.Line($"link: mode full: {plan.FullReason}");
            return null;
        }

        lap("plan");
        var run = RunLog.Start(database, "link", clock.GetUtcNow());
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: mode incremental: {plan.NewBatches:N0} new batches, {basis.NewRecords:N0} new records; model {model.Version} of the last run"));
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: incremental: {basis.Left:N0} linked records left with superseded snapshots, {basis.Dissolved:N0} persons lost their founding record (their {basis.Resolve.Count - basis.NewRecords - basis.Founders - RegistryCount(basis):N0} other records are resolved again)"));
        // Keys are derived without sharing texts here: a night resolves the spine once, one record per resident, so
        // few names repeat and the shared tables would only cost their upkeep (measured: 2.3–2.5 s → 3.2–3.8 s).
        var result = IncrementalLinking.Resolve(basis, model, counts =>
        {
            foreach (var rule in counts)
            {
                log.Line(string.Create(CultureInfo.InvariantCulture, $"link: blocking {rule.Rule}: {rule.Pairs:N0} new candidate pairs, {rule.SharedPairs:N0} in all{(rule.SkippedBlocks > 0 ? $" ({rule.SkippedBlocks:N0} blocks over {RegistryBlocking.MaxBlock} skipped)" : string.Empty)}"));
            }
        });

        lap("resolve");
        var s = result.Stats;
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: incremental: scored {basis.Resolve.Count - RegistryCount(basis):N0} records ({basis.NewRecords:N0} new, {basis.Founders:N0} founding records of persons outside the registry) against {RegistryCount(basis):N0} registry records; {basis.Kept.Count:N0} records kept as linked"));
        log.Line($"link: {s.CandidatePairs:N0} candidate pairs scored; {s.LinkedByAtena:N0} linked on 宛名番号, {s.LinkedProbabilistic:N0} probabilistically, {s.NewPersons:N0} persons outside the registry, {s.Review:N0} pairs for review; {s.ReturnedNumbers:N0} later 宛名番号 joined to the earlier number of a resident who came back");
        // Most persons and links are as the last run left them: only the differences are written.
        var outcome = LinkageStore.Save(database, result, referenceDate, clock.GetUtcNow(), plan.Keys ?? Storage.Identity.RecordKeys.Load(database), onlyChanges: true, storedLinks: plan.StoredLinks);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: incremental save: {outcome.Written.Persons:N0} persons, {outcome.Written.Links:N0} links and {outcome.Written.Members:N0} household memberships written; {outcome.Written.Changed:N0} persons changed"));
        lap("save");
        return (new LinkSummary(s, result.Persons.Count, result.Blocking), run, Detail(plan.LastDetail, plan, basis));
    }

    private static int RegistryCount(IncrementalBase basis) => basis.Resolve.Count(r => r.IsRegistry);

    /// <summary>The last run's detail (the model, its training and blocking figures) with what this run did: the model stays the one a reader finds.</summary>
    private static string Detail(string? last, IncrementalPlan plan, IncrementalBase basis)
    {
        var json = (last is null ? null : JsonNode.Parse(last) as JsonObject) ?? [];
        json["incremental"] = new JsonObject
        {
            ["new_batches"] = plan.NewBatches,
            ["new_records"] = basis.NewRecords,
            ["founders_rescored"] = basis.Founders,
            ["kept"] = basis.Kept.Count,
            ["left"] = basis.Left,
            ["dissolved_persons"] = basis.Dissolved,
        };
        return json.ToJsonString();
    }
}
