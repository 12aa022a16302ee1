using System.CommandLine;
using System.Globalization;
using System.Text;
using Mimamori.Cli.Pipeline;
using Mimamori.Needs.Model;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Analysis;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori export-pseudonymised --out DIR</c>: the model features, need scores, rule assessments and recorded
/// decisions for analysts, with keyed pseudonyms (HMAC-SHA256 under the installation's key) in place of person and
/// household ids, birth year-month instead of the birth date, and no name, address, 宛名番号 or free text. One audit
/// event records the export.
/// </summary>
public static class ExportPseudonymisedVerb
{
    public static Option<string> Out { get; } = new("--out") { Description = "The folder to write the dataset to (created if missing)", Required = true };

    public static Option<string?> AsOf { get; } = new("--as-of") { Description = "The day (yyyy-MM-dd) ages are computed at; default: today in Japan" };

    public static Command Create()
    {
        var command = new Command("export-pseudonymised", "Write a pseudonymised dataset (features, scores, assessments, decisions) for analysts");
        command.Options.Add(Out);
        command.Options.Add(AsOf);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var now = TimeProvider.System.GetUtcNow();
            var asOf = CommonOptions.AsOfOrToday(parse.GetValue(AsOf), now);
            var dir = Path.GetFullPath(parse.GetValue(Out)!);
            settings.Database.Migrate();
            var pseudonyms = Pseudonyms.ForInstallation(settings.DataDir);
            Directory.CreateDirectory(dir);

            var written = Write(settings, dir, pseudonyms, asOf);
            var policy = AccessPolicy.Default;
            new AuditLog(settings.Database).Append(AuditEvent.Create(
                TimeProvider.System, Environment.UserName, "system", "system", "analysis", AuditAction.Export, "dataset:pseudonymised",
                policy.Categories.Select(c => c.Id).ToList(),
                written.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.File}: {w.Rows} rows")).ToList(),
                "success", "cli"));

            foreach (var (file, rows) in written)
            {
                System.Console.WriteLine($"{Path.Combine(dir, file)}: {rows:N0} rows");
            }

            System.Console.WriteLine("Pseudonymised with the installation's key; the export is recorded in the audit trail. Read README.md in the folder before sharing anything.");
            return 0;
        });
        return command;
    }

    private static List<(string File, long Rows)> Write(Settings settings, string dir, Pseudonyms pseudonyms, DateOnly asOf)
    {
        var db = settings.Database;
        var written = new List<(string, long)>();
        string Child(long id) => pseudonyms.Of("person:" + id.ToString(CultureInfo.InvariantCulture));

        var children = AnalystDataset.Children(db);
        written.Add(Csv(dir, "children.csv", ["child_key", "household_key", "birth_month", "age_years", "sex"], children.Select(c => new[]
        {
            Child(c.PersonId),
            c.HouseholdNo is null ? string.Empty : pseudonyms.Of("household:" + c.HouseholdNo),
            c.BirthMonth ?? string.Empty,
            Age(c.BirthMonth, asOf),
            c.Sex ?? string.Empty,
        })));

        foreach (var outcome in AnalystDataset.Scores(db).GroupBy(s => s.Outcome, StringComparer.Ordinal))
        {
            var rows = outcome.ToList();
            var width = rows.Max(r => ModelStore.ParseInputs(r.Inputs).Length);
            var names = FeatureNames(db, rows[0].ModelVersion, width);
            written.Add(Csv(
                dir,
                $"need_scores-{outcome.Key}.csv",
                ["child_key", "model_version", "split", "probability", "band", "first_signal_month", .. names],
                rows.Select(r => new[]
                {
                    Child(r.PersonId), r.ModelVersion, r.Split, r.Probability.ToString("0.######", CultureInfo.InvariantCulture), r.Band,
                    r.FirstSignal is { Length: >= 7 } f ? f[..7] : string.Empty,
                }.Concat(ModelStore.ParseInputs(r.Inputs).Select(v => double.IsNaN(v) ? string.Empty : v.ToString("0.######", CultureInfo.InvariantCulture))))));
        }

        written.Add(Csv(dir, "need_assessments.csv", ["child_key", "difficulty", "score", "band", "rules", "model_version"], AnalystDataset.Assessments(db).Select(a => new[]
        {
            Child(a.PersonId), a.Difficulty, a.Score.ToString("0.######", CultureInfo.InvariantCulture), a.Band, string.Join(';', a.Rules), a.ModelVersion,
        })));

        written.Add(Csv(dir, "outcomes.csv", ["child_key", "decision", "overrides_score", "in_meeting", "decided_month", "superseded"], AnalystDataset.Decisions(db).Select(j => new[]
        {
            Child(j.PersonId), j.Decision, j.OverridesScore ? "1" : "0", j.InMeeting ? "1" : "0", j.DecidedMonth, j.Superseded ? "1" : "0",
        })));

        File.WriteAllText(Path.Combine(dir, "README.md"), Readme(asOf), new UTF8Encoding(false));
        return written;
    }

    /// <summary>Whole years at the reference date, counted from the first of the birth month (the exact day is not exported).</summary>
    private static string Age(string? birthMonth, DateOnly asOf)
    {
        if (birthMonth is null || !DateOnly.TryParseExact(birthMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b))
        {
            return string.Empty;
        }

        var age = asOf.Year - b.Year - (asOf.Month < b.Month ? 1 : 0);
        return age.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The model's own column names; plain positions when the model is no longer stored.</summary>
    private static IEnumerable<string> FeatureNames(Storage.Connection.MimamoriDatabase db, string version, int width)
    {
        if (ModelStore.Model(db, version) is { } bytes)
        {
            using var stream = new MemoryStream(bytes);
            var schema = NeedModel.Load(stream).Schema;
            if (schema.Count == width)
            {
                return schema.Columns.Select(c => c.Name);
            }
        }

        return Enumerable.Range(1, width).Select(i => "feature_" + i.ToString(CultureInfo.InvariantCulture));
    }

    private static (string File, long Rows) Csv(string dir, string file, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var writer = new StreamWriter(Path.Combine(dir, file), false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', header.Select(Quote)));
        long count = 0;
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(',', row.Select(Quote)));
            count++;
        }

        return (file, count);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Readme(DateOnly asOf) => $"""
        # Pseudonymised dataset / 仮名加工データ

        Written by `mimamori export-pseudonymised`; ages at {asOf:yyyy-MM-dd}.

        - `child_key`, `household_key`: HMAC-SHA256 of the internal id under this installation's key. The same child has
          the same key in every export made with the same key, and another key in an export made with another key.
          Without the key a key cannot be turned back into a person; with the key and the database it can, so the key
          stays with the data steward.
        - No names, kana, addresses, phone numbers, 宛名番号, exact birth dates (year-month and age only), free-text reasons
          or the evidence values behind a rule.
        - `children.csv`: every child. `need_scores-OUTCOME.csv`: the model's calibrated probability, band and the
          feature values it scored (empty = unknown). `need_assessments.csv`: rule scores per difficulty and the rules
          that fired. `outcomes.csv`: staff decisions (decision, month, whether it overrode the score, whether it was
          made in a meeting, whether a later decision replaced it).

        Small cells are left as they are: a rare combination (a birth month, a sex, an unusual feature value) can
        single out a child to someone who knows the family. Do not publish a table, chart or model output with a cell
        of fewer than 10 children; aggregate or suppress first.
        """;
}
