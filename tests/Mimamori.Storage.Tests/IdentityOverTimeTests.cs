using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

public sealed class IdentityOverTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static CanonicalRecord Resident(long line, string atena, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        "jumin_legacy", "resident", "jumin/jumin.csv", line, null, atena, "H" + atena, new PersonName(family, given, familyKana, givenKana),
        birth, sex, "3350022", "上戸田一丁目2番3号", null, "01", [], [new("宛名番号", atena)]);

    private static CanonicalRecord Pupil(long line, string localId, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        "komu_attendance", "education", "komu/attendance.csv", line, localId, null, null, new PersonName(family, given, familyKana, givenKana),
        birth, sex, null, null, null, null, [], [new("生徒番号", localId)]);

    private static IEnumerable<CanonicalRecord> Residents() =>
    [
        Resident(0, "0000000001", "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ", new DateOnly(2015, 4, 3), Sex.Female),
        Resident(0, "0000000002", "佐藤", "一郎", "ｻﾄｳ", "ｲﾁﾛｳ", new DateOnly(1980, 1, 1), Sex.Male),
        Resident(0, "0000000003", "鈴木", "美咲", "ｽｽﾞｷ", "ﾐｻｷ", new DateOnly(2012, 9, 9), Sex.Female),
    ];

    private static void Import(MimamoriDatabase db, string source, string sha, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, source, records[0].File, sha, "full", Now);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary(records[0].File, records.Length, records.Length, 0), Now);
    }

    private static void ImportPupils(MimamoriDatabase db, string sha) =>
        Import(
            db,
            "komu_attendance",
            sha,
            Pupil(2, "S-1", "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female),
            Pupil(3, "S-2", "山本", "大翔", "ヤマモト", "ヒロト", new DateOnly(2014, 2, 2), Sex.Male));

    private static IdentityOutcome Link(MimamoriDatabase db) =>
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), AsOf, Now);

    private static Dictionary<string, long> PersonByName(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(long Id, string Name)>(
            "SELECT DISTINCT p.person_id, r.family_name || r.given_name || ':' || r.source FROM person_record l JOIN person p ON p.person_id = l.person_id JOIN source_record r ON r.record_id = l.record_id")
            .ToDictionary(x => x.Name, x => x.Id);
    }

    private static MimamoriDatabase Seeded(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(db, "jumin_legacy", "a1", [.. Residents().Select((r, i) => r with { Line = i + 2 })]);
        ImportPupils(db, "b1");
        return db;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Link_RebuildsTheIndexesItDropsForTheLoad_AsTheMigrationsDefineThem(string kind)
    {
        var db = Seeded(kind);
        var before = Indexes(db);
        Link(db);
        Link(db);
        Assert.Equal(before, Indexes(db));
        Assert.Contains(before, i => i.Contains("ix_person_record_person", StringComparison.Ordinal));
        Assert.Contains(before, i => i.Contains("ix_person_key_person", StringComparison.Ordinal));
    }

    private static List<string> Indexes(MimamoriDatabase db)
    {
        using var c = db.Open();
        var sql = db.Dialect == Dialect.Postgres
            ? "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix_%'"
            : "SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'";
        return c.Query<string>(sql).Order(StringComparer.Ordinal).ToList();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Link_Rerun_KeepsEveryPersonIdAndANewPersonGetsAnUnusedOne(string kind)
    {
        var db = Seeded(kind);
        var first = Link(db);
        var before = PersonByName(db);
        Assert.Equal(4, first.Persons);
        Assert.Equal(before["高橋花子:jumin_legacy"], before["髙橋花子:komu_attendance"]);

        // The same registry again as a new snapshot (new row ids) plus one newcomer, with the order of rows changed.
        var newcomer = Resident(2, "0000000004", "田中", "陽菜", "ﾀﾅｶ", "ﾋﾅ", new DateOnly(2020, 5, 5), Sex.Female);
        Import(db, "jumin_legacy", "a2", [newcomer, .. Residents().Reverse().Select((r, i) => r with { Line = i + 3 })]);
        var second = Link(db);
        var after = PersonByName(db);

        foreach (var (name, id) in before)
        {
            Assert.Equal(id, after[name]);
        }

        Assert.Equal(4, second.KeptIds);
        Assert.Equal(1, second.NewIds);
        Assert.True(after["田中陽菜:jumin_legacy"] > before.Values.Max());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Decisions_SurviveReimportAndRerun_AndOverrideTheModel(string kind)
    {
        var db = Seeded(kind);
        Link(db);
        var before = PersonByName(db);
        var keys = RecordKeys.Load(db);
        using (var c = db.Open())
        {
            var registry = c.ExecuteScalar<long>("SELECT record_id FROM source_record WHERE atena_no = '0000000001'");
            var pupil = c.ExecuteScalar<long>("SELECT record_id FROM source_record WHERE local_id = 'S-1'");
            var suzuki = c.ExecuteScalar<long>("SELECT record_id FROM source_record WHERE atena_no = '0000000003'");
            var yamamoto = c.ExecuteScalar<long>("SELECT record_id FROM source_record WHERE local_id = 'S-2'");
            IdentityStore.Decide(db, new StoredDecision(RecordKeys.Pair(keys[pupil].Key, keys[registry].Key), keys[pupil].Key, keys[registry].Key, StoredDecision.Different, 20, "test", "steward", "2026-04-01T09:00:00Z"));
            IdentityStore.Decide(db, new StoredDecision(RecordKeys.Pair(keys[yamamoto].Key, keys[suzuki].Key), keys[yamamoto].Key, keys[suzuki].Key, StoredDecision.Same, 1, "test", "steward", "2026-04-01T09:00:00Z"));
        }

        // The pupil list is imported again: new row ids, same keys.
        ImportPupils(db, "b2");
        var outcome = Link(db);
        var after = PersonByName(db);

        Assert.Equal(2, outcome.DecisionsApplied);
        Assert.NotEqual(after["高橋花子:jumin_legacy"], after["髙橋花子:komu_attendance"]);
        Assert.Equal(before["高橋花子:jumin_legacy"], after["高橋花子:jumin_legacy"]);
        Assert.Equal(after["鈴木美咲:jumin_legacy"], after["山本大翔:komu_attendance"]);
        Assert.Equal(before["鈴木美咲:jumin_legacy"], after["鈴木美咲:jumin_legacy"]);

        using var check = db.Open();
        var events = check.Query<(string Kind, long Person, long Other)>("SELECT kind, person_id, other_person_id FROM person_lineage").ToList();
        Assert.Contains(("merged", before["山本大翔:komu_attendance"], before["鈴木美咲:jumin_legacy"]), events);
        Assert.Contains(("split", after["髙橋花子:komu_attendance"], before["高橋花子:jumin_legacy"]), events);
        Assert.Equal(before["鈴木美咲:jumin_legacy"], check.ExecuteScalar<long>("SELECT merged_into FROM person_identity WHERE person_id = @id", new { id = before["山本大翔:komu_attendance"] }));
        Assert.Equal("review", check.ExecuteScalar<string>("SELECT l.method FROM person_record l JOIN source_record r ON r.record_id = l.record_id WHERE r.local_id = 'S-2' AND r.batch_id = (SELECT MAX(batch_id) FROM import_batch)"));
    }
}
