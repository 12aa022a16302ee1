using Mimamori.Cli.Console;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>Need detection: every child's linked facts through the rule catalog, one assessment per difficulty.</summary>
public static class DetectStage
{
    public static IReadOnlyList<NeedAssessment> Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, LinkedFacts? facts = null)
    {
        var catalog = RuleCatalog.Default;
        var run = RunLog.Start(database, "detect", clock.GetUtcNow());
        facts ??= LinkedFacts.Load(database);
        var scorer = new NeedScorer(catalog, referenceDate);
        var assessments = facts.Children().SelectMany(scorer.Assess).ToList();
        AssessmentStore.SaveAssessments(database, assessments, catalog.Version);
        var flagged = assessments.Where(a => a.Band is "high" or "medium").Select(a => a.PersonId).Distinct().Count();
        RunLog.Finish(database, run, clock.GetUtcNow(), assessments.Count, "succeeded", $"{{\"rules\":\"{catalog.Version}\",\"reference_date\":\"{referenceDate:yyyy-MM-dd}\"}}");
        log.Line($"detect: {assessments.Count:N0} assessments as of {referenceDate:yyyy-MM-dd}; {flagged:N0} children with a medium or high band");
        return assessments;
    }
}
