using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>A link's explanation is stored once per distinct text, and every reader still gets each link's own.</summary>
public sealed class LinkExplanationTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static CanonicalRecord Resident(long line, string atena, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        "jumin_legacy", "resident", "jumin/jumin.csv", line, null, atena, "H" + atena, new PersonName(family, given, familyKana, givenKana),
        birth, sex, "3350022", "上戸田一丁目2番3号", null, "head", [], [new("宛名番号", atena)]);

    private static CanonicalRecord Pupil(string source, long line, string localId, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex) => new(
        source, "education", source + "/list.csv", line, localId, null, null, new PersonName(family, given, familyKana, givenKana),
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

    /// <summary>Two registry children, each seen twice by the school (four links alike in pairs) and one pupil nobody else knows.</summary>
    private static (MimamoriDatabase Db, LinkResult Result) Linked(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(
            db,
            "a1",
            Resident(2, "0000000001", "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ", new DateOnly(2015, 4, 3), Sex.Female),
            Resident(3, "0000000002", "山本", "大翔", "ﾔﾏﾓﾄ", "ﾋﾛﾄ", new DateOnly(2014, 2, 2), Sex.Male));
        Import(
            db,
            "b1",
            Pupil("komu_attendance", 2, "S-1", "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female),
            Pupil("komu_attendance", 3, "S-1", "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female),
            Pupil("komu_attendance", 4, "S-2", "山本", "大翔", "ヤマモト", "ヒロト", new DateOnly(2014, 2, 2), Sex.Male),
            Pupil("komu_attendance", 5, "S-2", "山本", "大翔", "ヤマモト", "ヒロト", new DateOnly(2014, 2, 2), Sex.Male),
            Pupil("komu_attendance", 6, "S-3", "田中", "陽菜", "タナカ", "ヒナ", new DateOnly(2016, 5, 5), Sex.Female));
        var run = RunLog.Start(db, "link", Now);
        var result = IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default);
        LinkageStore.Save(db, result, AsOf, Now);
        RunLog.Finish(db, run, Now, 5, "succeeded", LinkageModel.Default.ToJson());
        return (db, result);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Save_WritesEachDistinctExplanationOnce_AndTheLinksReadTheirOwn(string kind)
    {
        var (db, result) = Linked(kind);
        var expected = result.Assignments.ToDictionary(a => a.RecordId, a => a.Explanation);
        Assert.Contains(expected.Values, e => e.Contains("\"total\"", StringComparison.Ordinal));

        using (var c = db.Open())
        {
            var stored = c.Query<string>("SELECT json FROM link_explanation").ToList();
            Assert.Equal(expected.Values.Distinct().Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
            Assert.True(stored.Count < expected.Count, "the pupils seen twice share their explanation");
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM person_record WHERE explanation_id IS NULL OR explanation <> ''"));
        }

        foreach (var person in result.Assignments.Select(a => a.Person).Distinct())
        {
            var personId = PersonIdOf(db, result.Assignments.First(a => a.Person == person).RecordId);
            var links = PersonLinks.Links(db, personId);
            Assert.NotEmpty(links);
            Assert.All(links, l => Assert.Equal(expected[l.RecordId], l.Explanation));
            var child = new ChildQuery(db).Load(personId, Scope.All, AsOf);
            Assert.NotNull(child);
            Assert.All(child.Records, r => Assert.Equal(expected[r.RecordId], r.Explanation));
        }

        // A second save replaces the texts with its own rather than adding to them.
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), AsOf, Now);
        using var again = db.Open();
        Assert.Equal(expected.Values.Distinct().Count(), again.ExecuteScalar<long>("SELECT COUNT(*) FROM link_explanation"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void IncrementalPlan_KeptLinksCarryTheirStoredExplanation(string kind)
    {
        var (db, result) = Linked(kind);
        var expected = result.Assignments.ToDictionary(a => a.RecordId, a => a.Explanation);
        Import(db, "c1", Pupil("hoiku", 2, "H-1", "佐藤", "結衣", "サトウ", "ユイ", new DateOnly(2021, 7, 7), Sex.Female));

        var plan = IncrementalLinkStore.Plan(db, LinkageModel.Default.Version);
        Assert.Null(plan.FullReason);
        var kept = plan.Base!.Kept;
        Assert.NotEmpty(kept);
        Assert.All(kept, k => Assert.Equal(expected[k.RecordId], k.Explanation));

        // Saved again, the kept links name the same texts.
        LinkageStore.Save(db, IncrementalLinking.Resolve(plan.Base, plan.Model!), AsOf, Now);
        foreach (var k in kept)
        {
            Assert.Contains(PersonLinks.Links(db, PersonIdOf(db, k.RecordId)), l => l.RecordId == k.RecordId && l.Explanation == expected[k.RecordId]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ALinkWrittenBeforeExplanationsWereShared_IsReadFromItsOwnColumn(string kind)
    {
        var (db, _) = Linked(kind);
        using (var c = db.Open())
        {
            var record = c.ExecuteScalar<long>("SELECT MIN(record_id) FROM person_record WHERE method <> 'registry'");
            c.Execute("UPDATE person_record SET explanation = '{\"total\":7.5,\"old\":true}', explanation_id = NULL WHERE record_id = @record", new { record });
            var personId = PersonIdOf(db, record);
            Assert.Equal("{\"total\":7.5,\"old\":true}", PersonLinks.Links(db, personId).Single(l => l.RecordId == record).Explanation);
            Assert.Equal("{\"total\":7.5,\"old\":true}", new ChildQuery(db).Load(personId, Scope.All, AsOf)!.Records.Single(r => r.RecordId == record).Explanation);
        }
    }

    private static long PersonIdOf(MimamoriDatabase db, long recordId)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>("SELECT person_id FROM person_record WHERE record_id = @recordId", new { recordId });
    }
}
