using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

/// <summary>When the store allows an incremental link, what it starts from, and when it insists on a full relink.</summary>
public sealed class IncrementalLinkStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static CanonicalRecord Resident(long line, string atena, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        "jumin_legacy", "resident", "jumin/jumin.csv", line, null, atena, "H" + atena, new PersonName(family, given, familyKana, givenKana),
        birth, sex, "3350022", "上戸田一丁目2番3号", null, "head", [], [new("宛名番号", atena)]);

    private static CanonicalRecord Pupil(long line, string localId, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        "komu_attendance", "education", "komu/attendance.csv", line, localId, null, null, new PersonName(family, given, familyKana, givenKana),
        birth, sex, null, null, null, null, [], [new("生徒番号", localId)]);

    private static void Import(MimamoriDatabase db, string sha, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, records[0].Source, records[0].File, sha, "full", Now);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary(records[0].File, records.Length, records.Length, 0), Now);
    }

    private static readonly CanonicalRecord Hanako1 = Resident(2, "0000000001", "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ", new DateOnly(2015, 4, 3), Sex.Female);
    private static readonly CanonicalRecord Ichiro = Resident(3, "0000000002", "佐藤", "一郎", "ｻﾄｳ", "ｲﾁﾛｳ", new DateOnly(1980, 1, 1), Sex.Male);
    private static readonly CanonicalRecord Hanako = Pupil(2, "S-1", "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female);
    private static readonly CanonicalRecord Hiroto = Pupil(3, "S-2", "山本", "大翔", "ヤマモト", "ヒロト", new DateOnly(2014, 2, 2), Sex.Male);
    private static readonly CanonicalRecord Hina = Pupil(4, "S-3", "田中", "陽菜", "タナカ", "ヒナ", new DateOnly(2016, 5, 5), Sex.Female);

    private static MimamoriDatabase LinkedOnce(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(db, "a1", Hanako1, Ichiro);
        Import(db, "b1", Hanako, Hiroto, Hina);
        var run = RunLog.Start(db, "link", Now);
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), AsOf, Now);
        RunLog.Finish(db, run, Now, 5, "succeeded", LinkageModel.Default.ToJson());
        return db;
    }

    private static Dictionary<string, long> PersonByPupil(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(string LocalId, long PersonId)>(
            "SELECT r.local_id, l.person_id FROM person_record l JOIN source_record r ON r.record_id = l.record_id JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.local_id IS NOT NULL AND b.status = 'current'")
            .ToDictionary(x => x.LocalId, x => x.PersonId);
    }

    private static Dictionary<string, long> RecordIds(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(string LocalId, long RecordId)>(
            "SELECT r.local_id, r.record_id FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.local_id IS NOT NULL AND b.status = 'current'")
            .ToDictionary(x => x.LocalId, x => x.RecordId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Plan_ANewSnapshotThatDropsAFounder_IsIncrementalAndGivesTheFullResult(string kind)
    {
        var db = LinkedOnce(kind);
        var before = PersonByPupil(db);
        Assert.Equal(3, before.Values.Distinct().Count());

        // The pupil list again: 大翔 left, 花子 and 陽菜 are sent again unchanged (on other lines) and keep their records,
        // and a second row has 陽菜's name and birthday. Only that row is new; the person outside the registry that
        // 大翔's row founded is dissolved, and 陽菜's founding record is resolved again so the new row can join her.
        var records = RecordIds(db);
        Import(db, "b2", Hina with { Line = 2 }, Hanako with { Line = 3 }, Pupil(5, "S-4", "田中", "陽菜", "タナカ", "ヒナ", new DateOnly(2016, 5, 5), Sex.Female));
        var plan = IncrementalLinkStore.Plan(db, LinkageModel.Default.Version);
        Assert.Null(plan.FullReason);
        var basis = plan.Base!;
        Assert.Equal((1, 1, 1, 1), (basis.NewRecords, basis.Left, basis.Dissolved, basis.Founders));
        Assert.Equal([records["S-1"]], basis.Kept.Select(k => k.RecordId));
        Assert.Equal(records["S-3"], RecordIds(db)["S-3"]);

        LinkageStore.Save(db, IncrementalLinking.Resolve(basis, plan.Model!), AsOf, Now);
        var after = PersonByPupil(db);
        Assert.Equal(before["S-1"], after["S-1"]);
        Assert.Equal(before["S-3"], after["S-3"]);
        Assert.Equal(after["S-3"], after["S-4"]);
        Assert.DoesNotContain("S-2", after.Keys);

        using var c = db.Open();
        var persons = c.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        Assert.Equal(3, persons);
        Assert.NotNull(c.ExecuteScalar<string?>("SELECT retired_at FROM person_identity WHERE person_id = @id", new { id = before["S-2"] }));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Plan_FullRelinkWhenTheRegistryOrTheModelChanged(string kind)
    {
        var empty = TestDatabases.Create(kind);
        empty.Migrate();
        Assert.Equal("no earlier link", IncrementalLinkStore.Plan(empty, LinkageModel.Default.Version).FullReason);

        var db = LinkedOnce(kind);
        Assert.Null(IncrementalLinkStore.Plan(db, LinkageModel.Default.Version).FullReason);
        Assert.Contains("model changed", IncrementalLinkStore.Plan(db, "fs-2-em").FullReason, StringComparison.Ordinal);

        // The registry sent again unchanged changes nothing in the spine; a new resident in it does.
        Import(db, "a1-again", Hanako1, Ichiro);
        Assert.Null(IncrementalLinkStore.Plan(db, LinkageModel.Default.Version).FullReason);
        Import(db, "a2", Resident(2, "0000000003", "鈴木", "美咲", "ｽｽﾞｷ", "ﾐｻｷ", new DateOnly(2012, 9, 9), Sex.Female));
        Assert.Contains("registry", IncrementalLinkStore.Plan(db, LinkageModel.Default.Version).FullReason, StringComparison.Ordinal);
    }
}
