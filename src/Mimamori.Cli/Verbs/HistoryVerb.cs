using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori history --as-known yyyy-MM-dd (--atena N | --record SOURCE:ID | --person N)</c>: the records the
/// municipality held about someone at the end of a day (Japan time), with where each came from, and every addition,
/// change and removal later snapshots made to them. Earlier answers never change: nothing is overwritten.
/// </summary>
public static class HistoryVerb
{
    public static Option<string> AsKnown { get; } = new("--as-known") { Description = "The day (yyyy-MM-dd) whose knowledge to show", Required = true };

    public static Option<string?> Atena { get; } = new("--atena") { Description = "A 宛名番号: every record that names it" };

    public static Option<string?> Record { get; } = new("--record") { Description = "One source's record, as SOURCE:ID (e.g. katei_sodan:K000123)" };

    public static Option<long?> Person { get; } = new("--person") { Description = "A resolved person id: the records linked to them" };

    public static Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text" };

    public static Command Create()
    {
        var command = new Command("history", "What was known about a person or record on a given day, and how it changed");
        command.Options.Add(AsKnown);
        command.Options.Add(Atena);
        command.Options.Add(Record);
        command.Options.Add(Person);
        command.Options.Add(Json);
        command.SetAction(parse =>
        {
            var text = parse.GetValue(AsKnown)!;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new UsageException($"--as-known '{text}' is not a date as yyyy-MM-dd.");
            }

            var subject = Subject(parse.GetValue(Atena), parse.GetValue(Record), parse.GetValue(Person));
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var history = new HistoryQuery(settings.Database);
            var known = history.KnownOn(day, subject);
            var changes = history.Changes(subject);
            if (parse.GetValue(Json))
            {
                System.Console.WriteLine(JsonSerializer.Serialize(new
                {
                    as_known = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    subject = subject.Describe(),
                    records = known.Select(r => new
                    {
                        source = r.Source,
                        file = r.File,
                        line = r.Line,
                        batch = r.BatchId,
                        known_from = r.KnownFrom,
                        known_until = r.KnownUntil,
                        entered_by = r.EnteredBy,
                        original = JsonDocument.Parse(r.Original).RootElement,
                        facts = r.Facts.Select(f => new { kind = f.Kind, date = f.Date, value = f.Text }),
                    }),
                    changes = changes.Select(c => new { at = c.At, source = c.Source, file = c.File, batch = c.BatchId, key = c.RecordKey, change = c.Change }),
                }));
                return 0;
            }

            System.Console.WriteLine($"Known at the end of {day:yyyy-MM-dd} (Japan time) about {subject.Describe()}: {known.Count} record(s)");
            foreach (var r in known)
            {
                var until = r.KnownUntil is null ? "still current" : $"until {r.KnownUntil}";
                var by = r.EnteredBy is null ? string.Empty : $", entered from paper by {r.EnteredBy}";
                System.Console.WriteLine($"  {r.Source} {r.File}:{r.Line} (batch {r.BatchId}, known from {r.KnownFrom}, {until}{by})");
                System.Console.WriteLine($"    {r.Original}");
                foreach (var f in r.Facts)
                {
                    System.Console.WriteLine($"    {f.Kind} {f.Date ?? "-"} = {f.Text}");
                }
            }

            System.Console.WriteLine($"Changes made by later snapshots: {changes.Count}");
            foreach (var c in changes)
            {
                System.Console.WriteLine($"  {c.At} {c.Source} {c.File} (batch {c.BatchId}): {c.RecordKey} {c.Change}");
            }

            return 0;
        });
        return command;
    }

    private static HistorySubject Subject(string? atena, string? record, long? person)
    {
        var given = (atena is null ? 0 : 1) + (record is null ? 0 : 1) + (person is null ? 0 : 1);
        if (given != 1)
        {
            throw new UsageException("Name exactly one of --atena, --record SOURCE:ID or --person.");
        }

        if (record is not null)
        {
            var colon = record.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0 || colon == record.Length - 1
                ? throw new UsageException($"--record '{record}' is not SOURCE:ID (e.g. katei_sodan:K000123).")
                : new HistorySubject(Source: record[..colon], LocalId: record[(colon + 1)..]);
        }

        return atena is not null ? new HistorySubject(AtenaNo: atena) : new HistorySubject(PersonId: person);
    }
}
