using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Retention;

namespace Mimamori.Storage.Tests;

public sealed class RetentionPurgeTests
{
    // Tax is kept one year after a snapshot is replaced; child-welfare events five years after the event.
    private static readonly RetentionRule[] Rules = [new("tax", 1), new("child_welfare", 5)];

    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal) { ["kazei"] = "tax", ["katei_sodan"] = "child_welfare" };

    private static readonly DateTimeOffset Run = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    private static CanonicalRecord Record(string source, string category, string id, string atena, string family, params Fact[] facts) => new(
        source, category, source + "/f.csv", 2, id, atena, "H" + atena, new PersonName(family, "花子", "タカハシ", "ハナコ"),
        new DateOnly(2015, 4, 3), Sex.Female, "3300001", "さいたま市浦和区1-1", null, null,
        facts, [new("番号", id), new("宛名番号", atena), new("氏名", family + " 花子")]);

    private static long Import(MimamoriDatabase db, string source, string snapshot, string sha, DateTimeOffset at, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, source, source + "/f.csv", sha, snapshot, at);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Quarantine(new QuarantinedValue(source + "/f.csv", 9, "氏名", "拒否された値" + sha, "a name"));
        writer.Commit(new ReadSummary(source + "/f.csv", records.Length + 1, records.Length, 1), at.AddMinutes(1));
        return writer.BatchId;
    }

    private static MimamoriDatabase Store(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();

        // Tax: the 2024 snapshot was replaced on 1 May 2025 by the 2025 one, which is still current.
        Import(db, "kazei", "full", "t1", new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero),
            Record("kazei", "tax", "T1", "A1", "古川", new Fact("tax.hikazei", new DateOnly(2024, 4, 1), "1", null)),
            Record("kazei", "tax", "T9", "A9", "消去", new Fact("tax.hikazei", new DateOnly(2024, 4, 1), "1", null)));
        Import(db, "kazei", "full", "t2", new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.Zero),
            Record("kazei", "tax", "T1", "A1", "古川", new Fact("tax.hikazei", new DateOnly(2025, 4, 1), "0", null)));

        // Child welfare: events keyed in from paper in 2026, one from 2019, one from 2024.
        Import(db, "katei_sodan", "delta", "c1", new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero),
            Record("katei_sodan", "child_welfare", "K1", "A1", "古川", new Fact("cw.consultation_type", new DateOnly(2019, 3, 1), "養育相談", null)),
            Record("katei_sodan", "child_welfare", "K2", "A2", "新井", new Fact("cw.consultation_type", new DateOnly(2024, 1, 5), "虐待通告", null)));

        // Linkage output: A1 has records in both sources, A9 only the replaced tax snapshot, A2 one recent consultation.
        using var connection = db.Open();
        var records = connection.Query<(long Id, string Atena)>("SELECT record_id, atena_no FROM source_record").ToList();
        var persons = new Dictionary<string, long> { ["A1"] = 1, ["A9"] = 9, ["A2"] = 2 };
        foreach (var (atena, id) in persons)
        {
            connection.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child) VALUES (@id, '氏', '名', 'シ', 'メイ', '2015-04-03', 'F', NULL, @atena, @household, 1)",
                new { id, atena, household = "H" + atena });
            connection.Execute("INSERT INTO household_member (household_no, person_id, relation) VALUES (@household, @id, '子')", new { id, household = "H" + atena });
            connection.Execute(
                "INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@id, 'poverty', 0.5, 'medium', '[]', '[]', 'v1')", new { id });
        }

        foreach (var (record, atena) in records)
        {
            connection.Execute(
                "INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@record, @person, 'atena', 20, '[]')",
                new { record, person = persons[atena] });
        }

        return db;
    }

    private static AuditEvent Event(PurgeReport report) => AuditEvent.Create(
        TimeProvider.System, "system", "system", "", "retention", AuditAction.Purge, "retention",
        report.Categories.Where(c => !c.IsEmpty).Select(c => c.Category).ToList(),
        report.Categories.Select(c => $"{c.Category}:records={c.Records}").ToList(), "success", "cli");

    private static long Count(MimamoriDatabase db, string sql)
    {
        using var connection = db.Open();
        return connection.ExecuteScalar<long>(sql);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ARecordIsKeptThroughItsAnniversary_AndPurgedTheDayAfter_WithOneAuditEvent(string kind)
    {
        var db = Store(kind);
        var purge = new RetentionPurge(db);

        // On 1 May 2026 the replaced tax snapshot is exactly one year old: kept. The 2019 consultation is past five years.
        var anniversary = purge.Run(Rules, Sources, new DateOnly(2026, 5, 1), Run, dryRun: false, Event);
        Assert.Equal(0, anniversary.Categories.Single(c => c.Category == "tax").Records);
        var cw = anniversary.Categories.Single(c => c.Category == "child_welfare");
        Assert.Equal((1L, 1L, 0L), (cw.Records, cw.Facts, cw.QuarantinedValues));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM source_record WHERE local_id = 'K1'"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM source_record WHERE local_id = 'K2'"));

        var after = purge.Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: false, Event);
        var tax = after.Categories.Single(c => c.Category == "tax");
        Assert.Equal((2L, 2L, 1L), (tax.Records, tax.Facts, tax.QuarantinedValues));

        // What the department holds today stays; the replaced snapshot, its facts and its rejected values are gone.
        Assert.Equal(["T1"], Strings(db, "SELECT local_id FROM source_record WHERE source = 'kazei'"));
        Assert.Equal(["2025-04-01"], Strings(db, "SELECT f.fact_date FROM fact f JOIN source_record r ON r.record_id = f.record_id WHERE r.source = 'kazei'"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM quarantine WHERE received = '拒否された値t1'"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM quarantine WHERE received = '拒否された値t2'"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM fact WHERE record_id NOT IN (SELECT record_id FROM source_record)"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM person_record WHERE record_id NOT IN (SELECT record_id FROM source_record)"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM record_change WHERE record_id NOT IN (SELECT record_id FROM source_record) OR previous_record_id NOT IN (SELECT record_id FROM source_record)"));

        // A9 had nothing else: the person goes with their household membership and assessment. A1 keeps a record,
        // but their assessment quoted a purged one and waits for the next detect run.
        Assert.Equal([1L, 2L], Longs(db, "SELECT person_id FROM person ORDER BY person_id"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM household_member WHERE person_id = 9"));
        Assert.Equal([2L], Longs(db, "SELECT person_id FROM need_assessment"));
        Assert.Equal(1, after.Persons);

        // The batch rows stay (no personal data), so the same file is not imported again.
        Assert.True(ImportBatchWriter.AlreadyImported(db, "kazei", "t1"));
        Assert.Equal(2, Count(db, "SELECT rows_purged FROM import_batch WHERE sha256 = 't1'"));

        // One event per purge, with counts and no names; the chain still verifies.
        var log = new AuditLog(db);
        var events = log.ReadAll();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(AuditAction.Purge, e.Action));
        Assert.Contains("tax:records=2", events[1].Fields);
        Assert.DoesNotContain(events, e => string.Join(" ", e.Fields).Contains("古川", StringComparison.Ordinal));
        Assert.Null(log.Verify());

        // Nothing more is due the same day.
        Assert.Equal(0, purge.Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: false, Event).Records);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ADryRun_CountsTheSame_ButChangesNothingAndRecordsNothing(string kind)
    {
        var db = Store(kind);
        var before = Snapshot(db);
        var dry = new RetentionPurge(db).Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: true, Event);
        Assert.True(dry.DryRun);
        Assert.Equal(3, dry.Records);
        Assert.Equal(1, dry.Persons);
        Assert.Equal(before, Snapshot(db));
        Assert.Equal(0, new AuditLog(db).Count());

        var real = new RetentionPurge(db).Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: false, Event);
        Assert.Equal(dry.Categories, real.Categories);
        Assert.Equal(before.Records - 3, Snapshot(db).Records);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void LongAfter_OnlyTheCurrentSnapshotIsLeft(string kind)
    {
        var db = Store(kind);
        Import(db, "katei_sodan", "delta", "c2", new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero),
            Record("katei_sodan", "child_welfare", "K3", "A2", "新井", new Fact("cw.consultation_type", new DateOnly(2025, 1, 5), "養育相談", null)));

        var report = new RetentionPurge(db).Run(Rules, Sources, new DateOnly(2040, 1, 1), Run, dryRun: false, Event);
        var cw = report.Categories.Single(c => c.Category == "child_welfare");
        Assert.Equal((3L, 3L, 2L), (cw.Records, cw.Facts, cw.QuarantinedValues));
        Assert.Equal(["T1"], Strings(db, "SELECT local_id FROM source_record"));
        Assert.Equal(["拒否された値t2"], Strings(db, "SELECT received FROM quarantine"));
        Assert.Equal([1L], Longs(db, "SELECT person_id FROM person"));
        Assert.Equal(2, report.Persons);
        Assert.Null(new AuditLog(db).Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ARecordCarriedOverBySnapshots_IsPurgedOnlyWhenTheLastSnapshotHoldingItIsPastRetention(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Fact Hikazei(int year) => new("tax.hikazei", new DateOnly(year, 4, 1), "1", null);
        var t5 = Record("kazei", "tax", "T5", "A5", "五木", Hikazei(2023));
        var t6 = Record("kazei", "tax", "T6", "A6", "六田", Hikazei(2023));
        var t6Changed = Record("kazei", "tax", "T6", "A6", "六田", Hikazei(2024)) with { Address = "さいたま市浦和区2-2" };

        // T5 is sent again unchanged in 2024 and then dropped; T6 changes in 2024 and is sent again unchanged in 2025.
        var s1 = Import(db, "kazei", "full", "s1", new DateTimeOffset(2023, 5, 1, 9, 0, 0, TimeSpan.Zero), t5, t6);
        var s2 = Import(db, "kazei", "full", "s2", new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero), t5, t6Changed);
        var s3 = Import(db, "kazei", "full", "s3", new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.Zero), t6Changed);
        Assert.Equal(3, Count(db, "SELECT COUNT(*) FROM source_record"));
        Assert.Equal(2, Count(db, "SELECT COUNT(*) FROM record_earlier_batch"));

        // In 2025 only the T6 of 2023 is past a year since its snapshot was replaced; T5's clock started when 2024's was.
        var purge = new RetentionPurge(db);
        var first = purge.Run(Rules, Sources, new DateOnly(2025, 6, 1), Run, dryRun: false, Event);
        Assert.Equal(1, first.Categories.Single(c => c.Category == "tax").Records);
        Assert.Equal(["T5", "T6"], Strings(db, "SELECT local_id FROM source_record ORDER BY local_id"));
        Assert.Equal(["2023-04-01", "2024-04-01"], Strings(db, "SELECT fact_date FROM fact ORDER BY fact_date"));

        var second = purge.Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: false, Event);
        Assert.Equal(1, second.Categories.Single(c => c.Category == "tax").Records);
        Assert.Equal(["T6"], Strings(db, "SELECT local_id FROM source_record"));
        Assert.Equal([s2], Longs(db, "SELECT batch_id FROM record_earlier_batch"));
        Assert.Equal([s3], Longs(db, "SELECT batch_id FROM source_record"));

        // Each batch counts the rows it held that are gone: 2023's held both T5 and the old T6.
        Assert.Equal([2L, 1L, 0L], new[] { s1, s2, s3 }.Select(b => Count(db, $"SELECT COALESCE(rows_purged, 0) FROM import_batch WHERE batch_id = {b}")));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void AFailingAuditEvent_RollsThePurgeBack(string kind)
    {
        var db = Store(kind);
        var before = Snapshot(db);
        Assert.Throws<InvalidOperationException>(() =>
            new RetentionPurge(db).Run(Rules, Sources, new DateOnly(2026, 5, 2), Run, dryRun: false, _ => throw new InvalidOperationException("no audit")));
        Assert.Equal(before, Snapshot(db));
    }

    private static (long Records, long Facts, long Quarantine, long Persons, long Assessments) Snapshot(MimamoriDatabase db) => (
        Count(db, "SELECT COUNT(*) FROM source_record"),
        Count(db, "SELECT COUNT(*) FROM fact"),
        Count(db, "SELECT COUNT(*) FROM quarantine"),
        Count(db, "SELECT COUNT(*) FROM person"),
        Count(db, "SELECT COUNT(*) FROM need_assessment"));

    private static List<string> Strings(MimamoriDatabase db, string sql)
    {
        using var connection = db.Open();
        return connection.Query<string>(sql).ToList();
    }

    private static List<long> Longs(MimamoriDatabase db, string sql)
    {
        using var connection = db.Open();
        return connection.Query<long>(sql).ToList();
    }
}
