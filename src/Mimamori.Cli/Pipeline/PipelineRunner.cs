using System.Diagnostics;
using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>Seconds and rows of one stage, as <c>bench</c> reports them.</summary>
public sealed record StageFigure(double Seconds, long Rows);

/// <summary>ingest → link → detect → outreach, each stage committing its own output, timed.</summary>
public static class PipelineRunner
{
    public static Dictionary<string, StageFigure> Run(MimamoriDatabase database, string specsDir, string feedsDir, DateOnly? asOf, TimeProvider clock, ProgressLog log)
    {
        var figures = new Dictionary<string, StageFigure>(StringComparer.Ordinal);
        database.Migrate();
        var watch = Stopwatch.StartNew();
        var outcomes = ImportStage.Run(database, specsDir, feedsDir, clock, log);
        figures["ingest"] = new StageFigure(watch.Elapsed.TotalSeconds, outcomes.Sum(o => o.Summary?.RowsRead ?? 0));
        var refused = outcomes.Where(o => o.Status == "refused").ToList();

        var referenceDate = ReferenceDate(database, asOf, clock);
        watch.Restart();
        var links = LinkStage.Run(database, referenceDate, clock, log);
        figures["link"] = new StageFigure(watch.Elapsed.TotalSeconds, links.Assignments.Count);

        watch.Restart();
        // Detection and outreach read the same linked facts: load them once.
        var facts = LinkedFacts.Load(database);
        var assessments = DetectStage.Run(database, referenceDate, clock, log, facts);
        figures["detect"] = new StageFigure(watch.Elapsed.TotalSeconds, assessments.Count);

        watch.Restart();
        var unclaimed = OutreachStage.Run(database, referenceDate, clock, log, facts);
        figures["outreach"] = new StageFigure(watch.Elapsed.TotalSeconds, unclaimed.Count);

        if (refused.Count > 0)
        {
            throw new UsageException($"{refused.Count} file(s) were refused and not imported (first: {refused[0].File}: {refused[0].Reason}); the rest of the run completed.");
        }

        return figures;
    }

    /// <summary>The date needs are assessed at: given, or the data's latest fact date that is not in the future.</summary>
    public static DateOnly ReferenceDate(MimamoriDatabase database, DateOnly? asOf, TimeProvider clock) =>
        asOf ?? RunLog.LatestFactDate(database, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        ?? throw new UsageException("There is no dated fact in the store yet; import feeds first (`mimamori ingest`) or pass --as-of.");
}
