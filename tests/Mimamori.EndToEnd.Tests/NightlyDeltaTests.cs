using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// A night's exports after a full run: detect and outreach reassess only what the link changed, and what they store
/// must equal what reassessing every child and household stores on the same store.
/// </summary>
public sealed class NightlyDeltaTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-nightly-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds() => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DetectAndOutreach_AfterANight_AreIncrementalAndEqualAFullRecompute(string kind)
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), Quiet);
        var feeds = Path.Combine(root, "synth", "feeds");
        var db = Create(kind);
        PipelineRunner.Run(db, Settings.SpecsDir, feeds, AsOf, TimeProvider.System, Quiet, root);
        var before = Stored(db);

        // The registry's movements (転居, 出生, 死亡), a new consultation and children who moved school district.
        var written = NightlyBench.WriteNight(feeds, options.Seed, 1, 0.01, AsOf, Quiet, ["katei_sodan", "gakureibo"]);
        Assert.True(written > 10);
        ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
        LinkStage.Run(db, AsOf, TimeProvider.System, Quiet);

        var log = new StringWriter();
        var detectOptions = new DetectOptions { DataDir = root, TruthDir = Path.Combine(root, "synth", "truth") };
        var reassessed = DetectStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(log, false), options: detectOptions);
        OutreachStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(log, false));
        Assert.Contains("detect: mode incremental: ", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("outreach: mode incremental: ", log.ToString(), StringComparison.Ordinal);
        var incremental = Stored(db);

        // Only some children were reassessed, and the night did change what is stored.
        var children = reassessed.Select(a => a.PersonId).Distinct().Count();
        Assert.InRange(children, 1, before.Children - 1);
        Assert.NotEqual(before.Assessments, incremental.Assessments);
        Assert.NotEqual(before.Unclaimed, incremental.Unclaimed);

        var fullLog = new StringWriter();
        DetectStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(fullLog, false), options: detectOptions with { AllChildren = true });
        OutreachStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(fullLog, false), full: true);
        Assert.Contains("detect: mode full: every child asked for", fullLog.ToString(), StringComparison.Ordinal);
        Assert.Contains("outreach: mode full: --full", fullLog.ToString(), StringComparison.Ordinal);
        var full = Stored(db);

        Assert.Equal(full.Assessments, incremental.Assessments);
        Assert.Equal(full.Scores, incremental.Scores);
        Assert.Equal(full.Ranking, incremental.Ranking);
        Assert.Equal(full.Schools, incremental.Schools);
        Assert.Equal(full.RankedChildren, incremental.RankedChildren);
        Assert.Equal(full.Unclaimed, incremental.Unclaimed);

        // Nothing linked since: the next run reassesses nobody and changes nothing.
        LinkStage.Run(db, AsOf, TimeProvider.System, Quiet);
        var idle = new StringWriter();
        Assert.Empty(DetectStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(idle, false), options: detectOptions));
        Assert.Contains("detect: mode incremental: 0 children reassessed", idle.ToString(), StringComparison.Ordinal);
        Assert.Equal(full.Assessments, Stored(db).Assessments);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Link_AfterRegistryMovements_IsIncrementalAndEqualsAFullRelink(string kind)
    {
        // Births, deaths and households moving in the 住民異動 delta, and a new consultation.
        var (incremental, full) = TwoStoresAfterANight(kind, 7, ["katei_sodan"]);

        var log = new StringWriter();
        LinkStage.Run(incremental, AsOf, TimeProvider.System, new ProgressLog(log, false));
        Assert.Contains("link: mode incremental: 2 new batches", log.ToString(), StringComparison.Ordinal);
        LinkStage.Run(full, AsOf, TimeProvider.System, Quiet, full: true);

        var a = Links(incremental);
        var b = Links(full);
        Assert.Equal(b.Count, a.Count);
        Assert.Equal(b, a);
        Assert.Equal(Persons(full), Persons(incremental));

        // The newborns are persons of their own, in their parents' household.
        using var c = incremental.Open();
        var births = c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM person p WHERE p.household_no IS NOT NULL AND EXISTS (SELECT 1 FROM person_record pr JOIN fact f ON f.record_id = pr.record_id " +
            "WHERE pr.person_id = p.person_id AND f.kind = 'resident.event' AND f.value_text = 'birth' AND f.fact_date >= '2026-03-20')");
        Assert.True(births > 0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Link_AfterANightOfResentLists_WritesOnlyWhatChanged_AndTheStoreEqualsAFullRelink(string kind)
    {
        // 児童手当, 家庭児童相談 and 学齢簿 sent again in full with a few rows changed, and the registry's movements.
        var (incremental, full) = TwoStoresAfterANight(kind, 8, null);

        // The rows sent again unchanged kept their records: the link has only the added and changed rows to place.
        var before = PersonInputs(incremental);
        var log = new StringWriter();
        LinkStage.Run(incremental, AsOf, TimeProvider.System, new ProgressLog(log, false));
        var text = log.ToString();
        Assert.Contains("link: mode incremental: 4 new batches", text, StringComparison.Ordinal);
        var newRecords = int.Parse(Between(text, "new batches, ", " new records"), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(newRecords, 1, 200);
        LinkStage.Run(full, AsOf, TimeProvider.System, Quiet, full: true);

        // The incremental save wrote a few rows, not every person and link.
        var after = PersonInputs(incremental);
        using (var c = incremental.Open())
        {
            var persons = c.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
            var written = Between(text, "link: incremental save: ", " persons,");
            Assert.InRange(long.Parse(written, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture), 0, persons / 10);

            // The persons recorded as changed are exactly those whose row, household or set of records differs.
            var expected = before.Keys.Union(after.Keys).Where(id => !before.TryGetValue(id, out var b) || !after.TryGetValue(id, out var a) || a != b).Order().ToList();
            var recorded = c.Query<long>("SELECT DISTINCT person_id FROM person_change WHERE generation = (SELECT MAX(generation) FROM link_generation) ORDER BY person_id").ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, recorded);
            Assert.InRange(recorded.Count, 1, persons / 10);
        }

        // Every link written or kept names an explanation that is stored (the night's new ones added to those kept).
        using (var c = incremental.Open())
        {
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM person_record pr LEFT JOIN link_explanation le ON le.explanation_id = pr.explanation_id WHERE le.json IS NULL"));
            Assert.Equal(c.ExecuteScalar<long>("SELECT COUNT(DISTINCT json) FROM link_explanation"), c.ExecuteScalar<long>("SELECT COUNT(*) FROM link_explanation"));
        }

        // What is stored equals what a full relink of the same store stores.
        Assert.Equal(Links(full), Links(incremental));
        Assert.Equal(Rows(full, "SELECT person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child FROM person ORDER BY person_id"),
            Rows(incremental, "SELECT person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child FROM person ORDER BY person_id"));
        Assert.Equal(Rows(full, "SELECT household_no, person_id, relation FROM household_member ORDER BY person_id, household_no"),
            Rows(incremental, "SELECT household_no, person_id, relation FROM household_member ORDER BY person_id, household_no"));
        Assert.Equal(Rows(full, "SELECT key, person_id FROM person_key ORDER BY key"), Rows(incremental, "SELECT key, person_id FROM person_key ORDER BY key"));
        Assert.Equal(Rows(full, "SELECT person_id, household_no, relation, from_date, to_date, is_current, record_id FROM household_membership ORDER BY person_id, record_id"),
            Rows(incremental, "SELECT person_id, household_no, relation, from_date, to_date, is_current, record_id FROM household_membership ORDER BY person_id, record_id"));
    }

    /// <summary>
    /// Two stores of one small municipality, imported and linked alike, that have then imported the same night's
    /// exports (the lists in <paramref name="resent"/> sent again, or the bench's usual ones) but not yet linked them.
    /// </summary>
    private (MimamoriDatabase Incremental, MimamoriDatabase Full) TwoStoresAfterANight(string kind, int seed, IReadOnlyList<string>? resent)
    {
        var options = SynthPresets.Get("toda", seed) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), Quiet);
        var feeds = Path.Combine(root, "synth", "feeds");
        var stores = (Incremental: Create(kind), Full: Create(kind));
        foreach (var db in new[] { stores.Incremental, stores.Full })
        {
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
            LinkStage.Run(db, AsOf, TimeProvider.System, Quiet);
        }

        NightlyBench.WriteNight(feeds, options.Seed, 1, 0.01, AsOf, Quiet, resent);
        foreach (var db in new[] { stores.Incremental, stores.Full })
        {
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
        }

        return stores;
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        Assert.True(from >= start.Length, $"'{start}' not in the log");
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static List<string> Rows(MimamoriDatabase db, string sql)
    {
        using var c = db.Open();
        return c.Query(sql).Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
    }

    /// <summary>Each person's row, household membership and linked records, as detection and outreach read them.</summary>
    private static Dictionary<long, string> PersonInputs(MimamoriDatabase db)
    {
        using var c = db.Open();
        var records = c.Query<(long PersonId, long RecordId)>("SELECT person_id, record_id FROM person_record ORDER BY record_id").ToLookup(l => l.PersonId, l => l.RecordId);
        return c.Query("SELECT p.*, m.household_no AS member_of, m.relation FROM person p LEFT JOIN household_member m ON m.person_id = p.person_id")
            .Select(r => (IDictionary<string, object?>)r)
            .ToDictionary(
                r => Convert.ToInt64(r["person_id"], System.Globalization.CultureInfo.InvariantCulture),
                r => string.Join('|', r.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))) + "#" + string.Join(',', records[Convert.ToInt64(r["person_id"], System.Globalization.CultureInfo.InvariantCulture)]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Detect_AfterAPurgeOrAnotherReferenceDate_ReassessesEveryChild(string kind)
    {
        var options = SynthPresets.Get("toda", seed: 6) with { Population = 800, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), Quiet);
        var feeds = Path.Combine(root, "synth", "feeds");
        var db = Create(kind);
        PipelineRunner.Run(db, Settings.SpecsDir, feeds, AsOf, TimeProvider.System, Quiet, root);

        var log = new StringWriter();
        DetectStage.Run(db, AsOf.AddDays(1), TimeProvider.System, new ProgressLog(log, false));
        Assert.Contains("detect: mode full: the reference date changed (2026-03-31 → 2026-04-01)", log.ToString(), StringComparison.Ordinal);

        // A purge far enough ahead that records of every category are past retention: facts go from under persons.
        var rules = Privacy.Access.AccessPolicy.Default.Categories.Select(c => new Storage.Retention.RetentionRule(c.Id, c.RetentionYears)).ToList();
        var sources = ImportStage.LoadSpecs(Settings.SpecsDir).ToDictionary(s => s.Source, s => s.Category, StringComparer.Ordinal);
        var purged = new Storage.Retention.RetentionPurge(db).Run(
            rules, sources, AsOf.AddYears(30), DateTimeOffset.UtcNow, dryRun: false,
            r => Privacy.Audit.AuditEvent.Create(TimeProvider.System, "system", "system", "", "retention", Privacy.Audit.AuditAction.Purge, "retention", [], [], "success", "cli"));
        Assert.True(purged.Records > 0);

        log = new StringWriter();
        DetectStage.Run(db, AsOf.AddDays(1), TimeProvider.System, new ProgressLog(log, false));
        Assert.Contains("detect: mode full: everything may have changed since the last run", log.ToString(), StringComparison.Ordinal);
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

    private sealed record Snapshot(
        List<string> Assessments, List<string> Scores, List<string> Ranking, List<string> Schools, long RankedChildren, List<string> Unclaimed, int Children);

    private static Snapshot Stored(MimamoriDatabase db)
    {
        using var c = db.Open();
        List<string> Rows(string sql) => c.Query(sql).Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        return new Snapshot(
            Rows("SELECT person_id, difficulty, score, band, signals, missing, model_version FROM need_assessment ORDER BY person_id, difficulty"),
            Rows("SELECT person_id, outcome, model_version, split, probability, band, contributions, inputs, first_signal FROM need_score ORDER BY person_id, outcome"),
            Rows("SELECT facet, person_id, band_rank, score, family_kana, given_kana, birth_date, school, area, yotaikyo_in_records FROM worklist_rank ORDER BY facet, person_id"),
            Rows("SELECT school FROM worklist_school ORDER BY school"),
            c.ExecuteScalar<long>("SELECT COALESCE(SUM(children), -1) FROM worklist_rank_state"),
            Rows("SELECT household_no, person_id, program, reasons FROM unclaimed_support ORDER BY household_no, program, person_id"),
            (int)c.ExecuteScalar<long>("SELECT COUNT(DISTINCT person_id) FROM need_assessment"));
    }

    private static List<(long RecordId, long PersonId, string Method)> Links(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(long, long, string)>("SELECT record_id, person_id, method FROM person_record ORDER BY record_id").ToList();
    }

    private static List<string> Persons(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(long, string?, string?, string?, long)>("SELECT person_id, household_no, address, birth_date, is_child FROM person ORDER BY person_id")
            .Select(p => $"{p.Item1}|{p.Item2}|{p.Item3}|{p.Item4}|{p.Item5}").ToList();
    }

    private MimamoriDatabase Create(string kind)
    {
        var db = TestDatabases.Create(kind, root, "nightly-" + Guid.NewGuid().ToString("N"));
        db.Migrate();
        return db;
    }
}
