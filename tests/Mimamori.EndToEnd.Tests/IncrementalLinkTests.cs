using System.Text;
using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// A new consultation export after a first link: the incremental link scores only its records and must give every
/// record the person (and the person id) a full relink of the same store gives.
/// </summary>
public sealed class IncrementalLinkTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-incr-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds() => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Link_AfterANewConsultationExport_IsIncrementalAndEqualsAFullRelink(string kind)
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var feeds = Path.Combine(root, "synth", "feeds");
        var incremental = Create(kind, "incremental");
        var full = Create(kind, "full");
        foreach (var db in new[] { incremental, full })
        {
            db.Migrate();
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
            var first = Link(db, full: false);
            Assert.Contains("link: mode full: no earlier link", first, StringComparison.Ordinal);
        }

        // The consultation office sends its list again: one name keyed with a half-width space, one case closed, one new case for a
        // registered child without a 宛名番号 and one for a child the registry does not know.
        var file = Directory.GetFiles(Path.Combine(feeds, "katei_sodan"), "*.csv").Single();
        var lines = File.ReadAllLines(file, Encoding.UTF8).ToList();
        var edited = lines[3].Split(',');
        edited[2] = edited[2].Replace('　', ' ');
        lines[3] = string.Join(',', edited);
        lines.RemoveAt(5);
        var child = lines[10].Split(',');
        // Columns after 相談種別 (added later to the export) are left empty, as a new case has nothing in them yet.
        var tail = new string(',', lines[0].Split(',').Length - 7);
        lines.Add($"2026-00100,,{child[2]},{child[3]},{child[4]},2026-03-01,養育相談{tail}");
        lines.Add($"2026-00101,,山田　花子,ヤマダ　ハナコ,2019-02-02,2026-03-02,育成相談{tail}");
        File.WriteAllLines(file, lines, new UTF8Encoding(true));
        foreach (var db in new[] { incremental, full })
        {
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
        }

        // The rows sent again unchanged keep their records (and links): only the edited and new rows are new records.
        var fresh = CurrentRecords(incremental, "katei_sodan");
        Assert.Equal(3, fresh);
        var log = Link(incremental, full: false);
        Assert.Contains("link: mode incremental: 1 new batches", log, StringComparison.Ordinal);
        Assert.Contains($"{fresh:N0} new records", log, StringComparison.Ordinal);
        var fullLog = Link(full, full: true);
        Assert.Contains("link: mode full: --full", fullLog, StringComparison.Ordinal);

        var a = Assignments(incremental);
        var b = Assignments(full);
        Assert.Equal(b.Count, a.Count);
        Assert.Equal(b, a);
        Assert.Contains(a, r => r.Source == "katei_sodan" && r.Method == "new");

        // Only the new batch's records (and the founding records of persons outside the registry) were scored.
        using var c = incremental.Open();
        var total = c.ExecuteScalar<long>("SELECT COUNT(*) FROM person_record");
        var detail = c.QueryFirst<string>("SELECT detail FROM pipeline_run WHERE stage = 'link' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1");
        var counts = System.Text.Json.JsonDocument.Parse(detail).RootElement.GetProperty("incremental");
        Assert.Equal(fresh, counts.GetProperty("new_records").GetInt32());
        Assert.Equal(total, counts.GetProperty("kept").GetInt32() + counts.GetProperty("new_records").GetInt32() + counts.GetProperty("founders_rescored").GetInt32() + c.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.category = 'resident' AND b.status IN ('current', 'delta')"));
        Assert.True(counts.GetProperty("kept").GetInt32() > 20 * fresh);

        // Nothing new: incremental again, and nothing moves.
        Assert.Contains("link: mode incremental: 0 new batches", Link(incremental, full: false), StringComparison.Ordinal);
        Assert.Equal(a, Assignments(incremental));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ProgressLog Quiet => new(TextWriter.Null, false);

    private static string Link(MimamoriDatabase db, bool full)
    {
        using var output = new StringWriter();
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(output, false), full: full);
        return output.ToString();
    }

    private static long CurrentRecords(MimamoriDatabase db, string source)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.source = @source AND b.status = 'current' AND b.batch_id NOT IN (SELECT batch_id FROM linked_batch) AND r.record_id NOT IN (SELECT record_id FROM person_record)",
            new { source });
    }

    private static List<(long RecordId, long PersonId, string Source, string Method)> Assignments(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(long, long, string, string)>(
            "SELECT l.record_id, l.person_id, r.source, l.method FROM person_record l JOIN source_record r ON r.record_id = l.record_id ORDER BY l.record_id").ToList();
    }

    private MimamoriDatabase Create(string kind, string name) => TestDatabases.Create(kind, root, name);
}
