using System.CommandLine;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori ingest</c>: imports every feed described by a spec, with quarantine and reconciliation.</summary>
public static class IngestVerb
{
    public static Option<string?> Feeds { get; } = new("--feeds") { Description = "Folder of department exports (default DATA/synth/feeds)" };

    public static Option<string?> Specs { get; } = new("--specs") { Description = "Folder of feed specs (default: data/feeds beside the program)" };

    public static Command Create()
    {
        var command = new Command("ingest", "Import department exports as their feed specs describe; bad rows are quarantined with the reason");
        command.Options.Add(Feeds);
        command.Options.Add(Specs);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var outcomes = ImportStage.Run(settings.Database, parse.GetValue(Specs) ?? Settings.SpecsDir, parse.GetValue(Feeds) ?? settings.FeedsDir, TimeProvider.System, ProgressLog.ForConsole());
            var read = outcomes.Sum(o => o.Summary?.RowsRead ?? 0);
            var accepted = outcomes.Sum(o => o.Summary?.RowsAccepted ?? 0);
            var quarantined = outcomes.Sum(o => o.Summary?.RowsQuarantined ?? 0);
            System.Console.WriteLine($"{outcomes.Count} files: read {read:N0} = accepted {accepted:N0} + quarantined {quarantined:N0}; {outcomes.Count(o => o.Status == "unchanged")} unchanged, {outcomes.Count(o => o.Status == "refused")} refused");
            // What the snapshots changed against the ones they replaced (a first import adds everything it accepts).
            var added = outcomes.Sum(o => o.Changes?.Added ?? 0);
            var changed = outcomes.Sum(o => o.Changes?.Changed ?? 0);
            var removed = outcomes.Sum(o => o.Changes?.Removed ?? 0);
            System.Console.WriteLine($"records: added {added:N0}, changed {changed:N0}, removed {removed:N0}");
            var refused = outcomes.FirstOrDefault(o => o.Status == "refused");
            return refused is null ? 0 : throw new UsageException($"{refused.File} was refused: {refused.Reason}");
        });
        return command;
    }
}
