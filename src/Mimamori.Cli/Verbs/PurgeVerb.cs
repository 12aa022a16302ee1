using System.CommandLine;
using System.Globalization;
using Mimamori.Cli.Pipeline;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Retention;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori purge [--dry-run] [--as-of yyyy-MM-dd]</c>: removes the source records, facts and derived rows whose
/// category's retention (<c>retention_years</c> in the privacy policy) has passed, in one transaction with one audit
/// event that counts what went per category. A dry run prints the same counts and changes nothing.
/// </summary>
public static class PurgeVerb
{
    public static Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print what would be removed and change nothing" };

    public static Option<string?> AsOf { get; } = new("--as-of") { Description = "The day (yyyy-MM-dd) to measure retention against; default: today in Japan" };

    public static Command Create()
    {
        var command = new Command("purge", "Remove data whose retention has passed (per category, from the privacy policy)");
        command.Options.Add(DryRun);
        command.Options.Add(AsOf);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var now = TimeProvider.System.GetUtcNow();
            var asOf = CommonOptions.AsOfOrToday(parse.GetValue(AsOf), now);
            var dryRun = parse.GetValue(DryRun);
            settings.Database.Migrate();

            var policy = AccessPolicy.Default;
            var rules = policy.Categories.Select(c => new RetentionRule(c.Id, c.RetentionYears)).ToList();
            var sources = Directory.Exists(Settings.SpecsDir)
                ? ImportStage.LoadSpecs(Settings.SpecsDir).ToDictionary(s => s.Source, s => s.Category, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            var report = new RetentionPurge(settings.Database).Run(rules, sources, asOf, now, dryRun, r => Event(r, now));
            Print(report);
            return 0;
        });
        return command;
    }

    /// <summary>One event per purge: counts per category and nothing that names a person.</summary>
    private static AuditEvent Event(PurgeReport report, DateTimeOffset now)
    {
        var fields = report.Categories
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Category}: records {c.Records}, facts {c.Facts}, quarantined {c.QuarantinedValues} (kept {c.RetentionYears} y, before {c.Cutoff:yyyy-MM-dd})"))
            .Append(string.Create(CultureInfo.InvariantCulture, $"persons {report.Persons}, derived rows {report.DerivedRows}, as of {report.AsOf:yyyy-MM-dd}"))
            .ToList();
        var categories = report.Categories.Where(c => !c.IsEmpty).Select(c => c.Category).ToList();
        return AuditEvent.Create(
            new FixedTime(now), Environment.UserName, "system", "system", "retention", AuditAction.Purge, "retention", categories, fields, "success", "cli");
    }

    private static void Print(PurgeReport report)
    {
        System.Console.WriteLine(report.DryRun
            ? $"Dry run as of {report.AsOf:yyyy-MM-dd}: nothing was changed. These would be removed:"
            : $"Purged as of {report.AsOf:yyyy-MM-dd}:");
        System.Console.WriteLine($"  {"category",-14} {"kept",5} {"before",-10} {"records",9} {"facts",9} {"quarantined",11}");
        foreach (var c in report.Categories)
        {
            var years = c.RetentionYears > 0 ? $"{c.RetentionYears} y" : "always";
            var before = c.RetentionYears > 0 ? c.Cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-";
            System.Console.WriteLine($"  {c.Category,-14} {years,5} {before,-10} {c.Records,9:N0} {c.Facts,9:N0} {c.QuarantinedValues,11:N0}");
        }

        System.Console.WriteLine($"  persons left with no record: {report.Persons:N0}; derived rows (assessments, scores, unclaimed support): {report.DerivedRows:N0}");
        if (!report.DryRun)
        {
            System.Console.WriteLine("One audit event records these counts.");
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
