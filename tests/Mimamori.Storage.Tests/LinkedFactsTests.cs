using Dapper;
using Mimamori.Needs.Indicators;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

/// <summary>
/// The facts detection and outreach read: each person's facts through their linked records with each record's source,
/// the sources a person appears in even without facts, nothing of an unlinked record, and the same facts whether
/// everyone is read or only some households.
/// </summary>
public sealed class LinkedFactsTests
{
    private const string Note = "面談で家計の苦しさと夜間の養育の負担について相談があった。";

    private static MimamoriDatabase Store(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        c.Execute("""
            INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES
              (1, '山田', '花子', 'ヤマダ', 'ハナコ', '2016-05-01', 'H1', 1),
              (2, '山田', '太郎', 'ヤマダ', 'タロウ', '1985-02-03', 'H1', 0),
              (3, '佐藤', '一郎', 'サトウ', 'イチロウ', '2019-07-07', 'H2', 1)
            """);
        c.Execute("""
            INSERT INTO household_member (household_no, person_id, relation) VALUES ('H1', 1, '子'), ('H1', 2, '世帯主'), ('H2', 3, '子')
            """);
        c.Execute("""
            INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES
              (10, 1, 'gakureibo', 'education', 'g.csv', 2, '{}'), (11, 1, 'katei_sodan', 'child_welfare', 'k.csv', 2, '{}'),
              (20, 1, 'katei_sodan', 'child_welfare', 'k.csv', 3, '{}'), (30, 1, 'jido_teate', 'allowance', 't.csv', 2, '{}'),
              (40, 1, 'kenshin', 'health', 'h.csv', 2, '{}')
            """);
        c.Execute("""
            INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES
              (10, 1, 'probabilistic', 12.5, '{}'), (11, 1, 'probabilistic', 9.0, '{}'), (20, 2, 'probabilistic', 11.0, '{}'), (30, 3, 'deterministic', 0, '{}')
            """);
        c.Execute(
            """
            INSERT INTO fact (record_id, kind, fact_date, value_text, value_num) VALUES
              (10, 'school.absence_days', '2026-01-31', NULL, 12), (10, 'school.absence_days', '2025-12-31', NULL, 3),
              (11, 'consultation.note', '2026-02-10', @Note, NULL), (11, 'consultation.kind', '2026-02-10', 'A', NULL),
              (20, 'consultation.note', '2026-02-11', @Note, NULL), (20, 'consultation.kind', NULL, 'A', NULL),
              (40, 'health.checkup_missed', '2026-01-05', NULL, 1)
            """,
            new { Note });
        return db;
    }

    private static IEnumerable<string> Described(IEnumerable<FactItem> facts) =>
        facts.Select(f => $"{f.Source}|{f.RecordId}|{f.Kind}|{f.Date:yyyy-MM-dd}|{f.Text}|{f.Number}");

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Load_GivesEachPersonsFactsWithTheirSource_AndTheSourcesTheyAppearIn(string kind)
    {
        var facts = LinkedFacts.Load(Store(kind));

        Assert.Equal(
            [
                "gakureibo|10|school.absence_days|2025-12-31||3",
                "gakureibo|10|school.absence_days|2026-01-31||12",
                "katei_sodan|11|consultation.kind|2026-02-10|A|",
                $"katei_sodan|11|consultation.note|2026-02-10|{Note}|",
            ],
            Described(facts.Facts[1]));
        Assert.Equal(["katei_sodan|20|consultation.kind||A|", $"katei_sodan|20|consultation.note|2026-02-11|{Note}|"], Described(facts.Facts[2]));
        // A person with records but no facts still appears in their sources; an unlinked record's facts are nobody's.
        Assert.False(facts.Facts.ContainsKey(3));
        Assert.Equal(["jido_teate"], facts.Sources[3]);
        Assert.Equal(["gakureibo", "katei_sodan"], facts.Sources[1].Order(StringComparer.Ordinal));
        Assert.DoesNotContain(facts.Facts.Values.SelectMany(f => f), f => f.RecordId == 40);
        Assert.Equal([1L, 2L], facts.Households["H1"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void LoadOfSomePersons_ReadsTheirWholeHouseholds_AsEveryoneIsRead(string kind)
    {
        var db = Store(kind);
        var all = LinkedFacts.Load(db);
        var some = LinkedFacts.Load(db, [1L], []);

        Assert.Equal([1L, 2L], some.Persons.Keys.Order());
        foreach (var person in new[] { 1L, 2L })
        {
            Assert.Equal(Described(all.Facts[person]), Described(some.Facts[person]));
            Assert.Equal(all.Sources[person].Order(StringComparer.Ordinal), some.Sources[person].Order(StringComparer.Ordinal));
        }

        Assert.Equal(
            all.Children().Where(c => c.PersonId == 1).Select(c => Described(c.Own.Concat(c.Household))).Single(),
            some.Children().Select(c => Described(c.Own.Concat(c.Household))).Single());
    }
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Load_APersonsRecordsFarApart_AreReadInSlicesAndPutTogetherInRecordOrder(string kind)
    {
        // Everyone's facts are read in slices of record ids side by side; a person whose records lie in different
        // slices gets them all, in one order, and every source they appear in.
        var db = Store(kind);
        using (var c = db.Open())
        {
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (4, '鈴木', '一', 'スズキ', 'ハジメ', '2017-01-01', 'H3', 1)");
            c.Execute("""
                INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES
                  (900, 1, 'kenshin', 'health', 'h.csv', 9, '{}'), (5000, 1, 'gakureibo', 'education', 'g.csv', 9, '{}'),
                  (100000, 1, 'jido_teate', 'allowance', 't.csv', 9, '{}')
                """);
            c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (100000, 4, 'probabilistic', 11, '{}'), (900, 4, 'probabilistic', 10, '{}'), (5000, 4, 'probabilistic', 12, '{}')");
            c.Execute("""
                INSERT INTO fact (record_id, kind, fact_date, value_text, value_num) VALUES
                  (100000, 'allowance.monthly', '2026-03-01', NULL, 10000), (5000, 'school.absence_days', '2026-01-31', NULL, 20),
                  (900, 'health.checkup_missed', '2026-01-05', NULL, 1), (5000, 'school.absence_days', '2025-12-31', NULL, 4)
                """);
        }

        var all = LinkedFacts.Load(db);
        var some = LinkedFacts.Load(db, [4L], []);

        Assert.Equal(
            [
                "kenshin|900|health.checkup_missed|2026-01-05||1",
                "gakureibo|5000|school.absence_days|2025-12-31||4",
                "gakureibo|5000|school.absence_days|2026-01-31||20",
                "jido_teate|100000|allowance.monthly|2026-03-01||10000",
            ],
            Described(all.Facts[4]));
        Assert.Equal(Described(all.Facts[4]), Described(some.Facts[4]));
        Assert.Equal(["gakureibo", "jido_teate", "kenshin"], all.Sources[4].Order(StringComparer.Ordinal));
        Assert.Equal(all.Sources[4].Order(StringComparer.Ordinal), some.Sources[4].Order(StringComparer.Ordinal));

        // The other persons are read as before.
        Assert.Equal(4, all.Facts[1].Count);
        Assert.Equal(["jido_teate"], all.Sources[3]);
    }
}
