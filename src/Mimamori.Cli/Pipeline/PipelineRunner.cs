using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;

namespace Mimamori.Cli.Pipeline;

/// <summary>Seconds and rows of one stage, as <c>bench</c> reports them.</summary>
public sealed record StageFigure(double Seconds, long Rows);

/// <summary>ingest → link → detect → outreach, each stage committing its own output, timed.</summary>
public static class PipelineRunner
{
    /// <param name="dataDir">Where detection keeps its own files (pseudonym key, model card); by default the folder above a synthetic municipality's feeds.</param>
    /// <param name="imported">Receives what ingest did with each file (the nightly bench counts the records a night changed).</param>
    /// <param name="measureBlockingRecall">Whether the link stage measures blocking recall against a synthetic truth (see <see cref="LinkStage.Run"/>).</param>
    public static Dictionary<string, StageFigure> Run(MimamoriDatabase database, string specsDir, string feedsDir, DateOnly? asOf, TimeProvider clock, ProgressLog log, string? dataDir = null, Action<IReadOnlyList<FileOutcome>>? imported = null, bool measureBlockingRecall = true)
    {
        var figures = new Dictionary<string, StageFigure>(StringComparer.Ordinal);
        database.Migrate();
        var watch = Stopwatch.StartNew();
        var outcomes = ImportStage.Run(database, specsDir, feedsDir, clock, log);
        figures["ingest"] = new StageFigure(watch.Elapsed.TotalSeconds, outcomes.Sum(o => o.Summary?.RowsRead ?? 0));
        imported?.Invoke(outcomes);
        var refused = outcomes.Where(o => o.Status == "refused").ToList();

        var referenceDate = ReferenceDate(feedsDir, asOf, clock);
        log.Line($"reference date {referenceDate:yyyy-MM-dd} (ages and time windows are counted from it)");
        watch.Restart();
        var links = LinkStage.Run(database, referenceDate, clock, log, feedsDir, dataDir, measureBlockingRecall: measureBlockingRecall);
        figures["link"] = new StageFigure(watch.Elapsed.TotalSeconds, links.Stats.Records);

        watch.Restart();
        // Detection and outreach read the same linked facts when each looks at everyone: load them once, and only then.
        var facts = new SharedFacts(database, log);
        var assessments = DetectStage.Run(database, referenceDate, clock, log, options: dataDir is null ? DetectOptions.FromFeedsDir(feedsDir) : DetectOptions.FromFeedsDir(feedsDir) with { DataDir = dataDir }, shared: facts);
        figures["detect"] = new StageFigure(watch.Elapsed.TotalSeconds, assessments.Count);

        watch.Restart();
        var unclaimed = OutreachStage.Run(database, referenceDate, clock, log, shared: facts);
        figures["outreach"] = new StageFigure(watch.Elapsed.TotalSeconds, unclaimed.Count);

        if (refused.Count > 0)
        {
            throw new UsageException($"{refused.Count} file(s) were refused and not imported (first: {refused[0].File}: {refused[0].Reason}); the rest of the run completed.");
        }

        return figures;
    }

    /// <summary>
    /// The date needs are assessed at: <c>--as-of</c> when given; else the "as of" date the export folder declares
    /// (a synthetic municipality's manifest.json, or an <c>asof.txt</c> holding yyyy-MM-dd that a municipality's
    /// export job writes beside its files); else today. Not the latest date in the data: one mistyped future date
    /// would otherwise move every child's time windows.
    /// </summary>
    public static DateOnly ReferenceDate(string feedsDir, DateOnly? asOf, TimeProvider clock)
    {
        if (asOf is { } given)
        {
            return given;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(feedsDir).TrimEnd(Path.DirectorySeparatorChar)) ?? feedsDir;
        foreach (var candidate in new[] { Path.Combine(feedsDir, "asof.txt"), Path.Combine(parent, "asof.txt") })
        {
            if (File.Exists(candidate) && DateOnly.TryParseExact(File.ReadAllText(candidate).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var declared))
            {
                return declared;
            }
        }

        var manifest = Path.Combine(parent, "manifest.json");
        if (File.Exists(manifest))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            if (json.RootElement.TryGetProperty("AsOf", out var value) &&
                DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var synthetic))
            {
                return synthetic;
            }
        }

        return DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
    }
}
