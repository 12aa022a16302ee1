using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

/// <summary>The link stage's one-pass load gives exactly the records and keys of the separate reads.</summary>
public sealed class LinkLoadTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private static CanonicalRecord Row(string source, string category, long line, string? localId, string? atena, string family, string given, string familyKana, string givenKana, DateOnly? birth, Sex sex, string? address) => new(
        source, category, source + "/x.csv", line, localId, atena, atena is null ? null : "H" + atena, new PersonName(family, given, familyKana, givenKana),
        birth, sex, null, address, null, category == "resident" ? "01" : null, [], []);

    private static void Import(MimamoriDatabase db, string source, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, source, records[0].File, "sha-" + source, "full", Now);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary(records[0].File, records.Length, records.Length, 0), Now);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void LoadForLinking_GivesTheRecordsOfLoadRecords_AndTheKeysOfRecordKeysLoad(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(
            db,
            "jumin_legacy",
            Row("jumin_legacy", "resident", 2, null, "0000000001", "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ", new DateOnly(2015, 4, 3), Sex.Female, "上戸田一丁目2番3号"),
            Row("jumin_legacy", "resident", 3, null, "0000000002", "ﾀｶﾊｼ", string.Empty, "ﾀｶﾊｼ", string.Empty, null, Sex.Unknown, null));
        Import(
            db,
            "komu_attendance",
            Row("komu_attendance", "education", 2, "S-1", null, "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female, null),
            Row("komu_attendance", "education", 3, "S-1", null, "髙橋", "花子", "タカハシ", "ハナコ", new DateOnly(2015, 4, 3), Sex.Female, null),
            Row("komu_attendance", "education", 4, null, null, string.Empty, string.Empty, "やまだ", "たろう", new DateOnly(2014, 2, 2), Sex.Male, "上戸田一丁目"));

        var (records, keys) = LinkageStore.LoadForLinking(db);

        Assert.Equal(5, records.Count);
        Assert.Equal(LinkageStore.LoadRecords(db), records);
        var expected = RecordKeys.Load(db);
        Assert.Equal(expected.OrderBy(k => k.Key), keys.OrderBy(k => k.Key));
        Assert.Equal(keys[records[2].RecordId], keys[records[3].RecordId]);
        Assert.Equal("0000000001", keys[records[0].RecordId].RegistryAtena);
        Assert.Null(keys[records[2].RecordId].RegistryAtena);

        // Equal texts of different rows are one string: comparisons meet them by reference.
        Assert.Same(records[2].Name.Family, records[3].Name.Family);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void LoadForLinking_OverSeveralBatchesOfKeys_GivesEachRecordItsOwnKey(string kind)
    {
        // More rows than one batch of keys computed while reading (the last batch partly filled).
        var db = TestDatabases.Create(kind);
        db.Migrate();
        string[] families = ["高橋", "佐藤", "鈴木", "田中", "伊藤", "渡辺", "山本"];
        string[] givens = ["花子", "太郎", "陽菜", "大翔", "結衣"];
        Import(
            db,
            "komu_attendance",
            [.. Enumerable.Range(0, 70_001).Select(i => Row(
                "komu_attendance", "education", i + 2, "S-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, families[i % families.Length], givens[i % givens.Length],
                "タカハシ", "ハナコ", new DateOnly(2010, 1, 1).AddDays(i % 3000), i % 2 == 0 ? Sex.Female : Sex.Male, null))]);

        var (records, keys) = LinkageStore.LoadForLinking(db);

        Assert.Equal(70_001, records.Count);
        Assert.Equal(LinkageStore.LoadRecords(db), records);
        var expected = RecordKeys.Load(db);
        Assert.Equal(expected.Count, keys.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, keys[e.Key]));
        Assert.Equal(70_001, keys.Values.Select(k => k.Key).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void BirthWindow_IsStoredWithTheRecord_AndLoadedForLinking_BothWays(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        var window = new BirthWindow(new DateOnly(2005, 5, 11), new DateOnly(2024, 5, 10));
        Import(
            db,
            "katei_sodan",
            Row("katei_sodan", "child_welfare", 2, "S1", null, "前田", "千桜", "マエダ", "チオ", null, Sex.Unknown, null) with { BirthWindow = window },
            Row("katei_sodan", "child_welfare", 3, "S2", null, "石井", "正之", "イシイ", "マサユキ", new DateOnly(2012, 2, 23), Sex.Unknown, null));

        var (records, _) = LinkageStore.LoadForLinking(db);
        Assert.Equal(window, records[0].BirthWindow);
        Assert.Null(records[1].BirthWindow);
        var byId = LinkageStore.LoadRecords(db, records.Select(r => r.RecordId));
        Assert.Equal(window, byId[records[0].RecordId].BirthWindow);
        Assert.Equal(LinkageStore.LoadRecords(db), records);
    }
}
