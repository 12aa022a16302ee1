using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>
/// A child born into the mother's household who later moved to the father's: two memberships with their dates, the
/// guardian of each period, and the sibling met in the second household.
/// </summary>
public sealed class HouseholdHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Birth = new(2015, 4, 3);
    private static readonly DateOnly Moved = new(2022, 6, 1);

    private static CanonicalRecord Snapshot(long line, string atena, string household, string relation, string family, string given, string kana, DateOnly birth, Sex sex, DateOnly since) => new(
        "jumin_legacy", "resident", "jumin/jumin.csv", line, null, atena, household, new PersonName(family, given, kana, string.Empty),
        birth, sex, "3350022", "上戸田一丁目2番3号", null, relation, [new Fact("resident.since", since, since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), null)], [new("宛名番号", atena)]);

    private static CanonicalRecord Movement(long line, string atena, string household, string relation, string family, string given, string kana, DateOnly birth, Sex sex, string ev, DateOnly date) => new(
        "jumin_idou", "resident", "jumin_idou/idou.csv", line, line.ToString(System.Globalization.CultureInfo.InvariantCulture), atena, household, new PersonName(family, given, kana, string.Empty),
        birth, sex, "3350022", "上戸田一丁目2番3号", null, relation, [new Fact("resident.event", date, ev, null)], [new("宛名番号", atena)]);

    private static void Import(MimamoriDatabase db, string source, string snapshot, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, source, records[0].File, source, snapshot, Now);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary(records[0].File, records.Length, records.Length, 0), Now);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Rebuild_ChildWhoChangedHouseholds_HasTwoMembershipsWithTheGuardianOfEachPeriod(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(
            db,
            "jumin_legacy",
            "full",
            Snapshot(2, "0000000001", "H1", "head", "佐藤", "花子", "サトウ ハナコ", new DateOnly(1988, 1, 5), Sex.Female, new DateOnly(2010, 1, 1)),
            Snapshot(3, "0000000002", "H2", "head", "田中", "一郎", "タナカ イチロウ", new DateOnly(1985, 7, 7), Sex.Male, new DateOnly(2012, 3, 3)),
            Snapshot(4, "0000000003", "H2", "child", "田中", "陽菜", "タナカ ヒナ", Birth, Sex.Female, Birth),
            Snapshot(5, "0000000004", "H2", "child", "田中", "蓮", "タナカ レン", new DateOnly(2013, 2, 2), Sex.Male, new DateOnly(2013, 2, 2)));
        Import(
            db,
            "jumin_idou",
            "delta",
            Movement(2, "0000000003", "H1", "child", "佐藤", "陽菜", "サトウ ヒナ", Birth, Sex.Female, "birth", Birth),
            Movement(3, "0000000003", "H2", "child", "田中", "陽菜", "タナカ ヒナ", Birth, Sex.Female, "move_within", Moved));
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), new DateOnly(2026, 3, 31), Now);

        var counts = HouseholdHistoryStore.Rebuild(db);

        long Person(string atena)
        {
            using var c = db.Open();
            return c.ExecuteScalar<long>("SELECT person_id FROM person WHERE atena_no = @atena", new { atena });
        }

        var (mother, father, child, brother) = (Person("0000000001"), Person("0000000002"), Person("0000000003"), Person("0000000004"));
        Assert.Equal(5, counts.Memberships);
        Assert.Equal(1, counts.PersonsInSeveralHouseholds);

        var periods = HouseholdHistoryQuery.Of(db, child);
        Assert.Equal(2, periods.Count);
        var first = periods[0];
        Assert.Equal(("H1", (DateOnly?)Birth, (DateOnly?)Moved, "next_household", false), (first.HouseholdNo, first.From, first.To, first.EndedBy, first.Current));
        var mum = Assert.Single(first.Members);
        Assert.Equal((mother, "guardian"), (mum.PersonId, mum.Link));

        var second = periods[1];
        Assert.Equal(("H2", (DateOnly?)Moved, (DateOnly?)null, true), (second.HouseholdNo, second.From, second.To, second.Current));
        Assert.Equal([(father, "guardian"), (brother, "sibling")], second.Members.Select(m => (m.PersonId, m.Link)).OrderBy(m => m.Item2));

        using var check = db.Open();
        var relations = check.Query<(long, long, string, string, string?, string?)>("SELECT person_id, other_person_id, kind, household_no, from_date, to_date FROM person_relation ORDER BY household_no, kind, person_id").ToList();
        Assert.Contains((mother, child, "guardian", "H1", "2015-04-03", "2022-06-01"), relations);
        Assert.Contains((father, child, "guardian", "H2", "2022-06-01", null), relations);
        Assert.Contains((father, brother, "guardian", "H2", "2013-02-02", null), relations);
        Assert.Contains((Math.Min(child, brother), Math.Max(child, brother), "sibling", "H2", "2022-06-01", null), relations);
        Assert.DoesNotContain(relations, r => r.Item1 == mother && r.Item2 == brother);
    }

    /// <summary>
    /// After a second link that saw a birth into an existing household, a move to another household, a death and a
    /// resident's return under a new number (joined to the earlier person), the update recomputes only the persons that
    /// link changed and their households, and leaves the same rows a rebuild of every household writes.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Update_AfterALinkOfMovements_TouchesOnlyTheChangedPersons_AndEqualsAFullRebuild(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        var since = new DateOnly(2010, 1, 1);
        Import(
            db,
            "jumin_legacy",
            "full",
            Snapshot(2, "0000000001", "H1", "head", "佐藤", "花子", "サトウ ハナコ", new DateOnly(1988, 1, 5), Sex.Female, since),
            Snapshot(3, "0000000002", "H2", "head", "田中", "一郎", "タナカ イチロウ", new DateOnly(1985, 7, 7), Sex.Male, since),
            Snapshot(4, "0000000003", "H2", "spouse", "田中", "美咲", "タナカ ミサキ", new DateOnly(1987, 9, 9), Sex.Female, since),
            Snapshot(5, "0000000004", "H2", "child", "田中", "蓮", "タナカ レン", new DateOnly(2013, 2, 2), Sex.Male, new DateOnly(2013, 2, 2)),
            Snapshot(6, "0000000005", "H3", "head", "鈴木", "茂", "スズキ シゲル", new DateOnly(1940, 3, 3), Sex.Male, since),
            Snapshot(7, "0000000006", "H3", "child", "鈴木", "健太", "スズキ ケンタ", new DateOnly(1975, 5, 5), Sex.Male, since),
            Snapshot(8, "0000000007", "H3", "grandchild", "鈴木", "結衣", "スズキ ユイ", new DateOnly(2016, 8, 8), Sex.Female, new DateOnly(2016, 8, 8)),
            Snapshot(9, "0000000008", "H4", "head", "高橋", "誠", "タカハシ マコト", new DateOnly(1970, 1, 1), Sex.Male, since),
            Snapshot(10, "0000000009", "H4", "child", "高橋", "翼", "タカハシ ツバサ", new DateOnly(2012, 12, 12), Sex.Male, new DateOnly(2012, 12, 12)));
        // A resident who moved out in 2020: back tonight under a new 宛名番号, which the link joins to the earlier one.
        var returning = new DateOnly(1990, 6, 6);
        Import(db, "jumin_idou", "delta", Movement(2, "0000000011", "H5", "head", "山田", "太郎", "ヤマダ タロウ", returning, Sex.Male, "move_out", new DateOnly(2020, 4, 1)));
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), new DateOnly(2026, 3, 31), Now);
        var first = HouseholdHistoryStore.Rebuild(db);
        Assert.Equal(10, first.Memberships);

        // The night: a baby born into H2, the grandchild of H3 moving to H1 (転居), the head of H3 dying.
        var birth = new DateOnly(2026, 3, 20);
        Import(
            db,
            "jumin_idou",
            "delta",
            Movement(2, "0000000010", "H2", "child", "田中", "陽向", "タナカ ヒナタ", birth, Sex.Male, "birth", birth),
            Movement(3, "0000000007", "H1", "grandchild", "鈴木", "結衣", "スズキ ユイ", new DateOnly(2016, 8, 8), Sex.Female, "move_within", new DateOnly(2026, 3, 21)),
            Movement(4, "0000000005", "H3", "head", "鈴木", "茂", "スズキ シゲル", new DateOnly(1940, 3, 3), Sex.Male, "death", new DateOnly(2026, 3, 22)),
            Movement(5, "0000000012", "H4", "other", "山田", "太郎", "ヤマダ タロウ", returning, Sex.Male, "move_in", new DateOnly(2026, 3, 23)));
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), new DateOnly(2026, 3, 31), Now.AddDays(1));
        using (var c = db.Open())
        {
            Assert.Equal(1, c.ExecuteScalar<long>("SELECT COUNT(DISTINCT l.person_id) FROM person_record l JOIN source_record r ON r.record_id = l.record_id WHERE r.atena_no IN ('0000000011', '0000000012')"));
        }

        var update = HouseholdHistoryStore.Update(db);
        Assert.False(update.Full, update.Reason);
        // The baby, the grandchild, the deceased and the returned resident; every household but none of H4's members.
        Assert.Equal(4, update.Persons);
        Assert.Equal(5, update.Households);
        var updated = (Memberships: Rows(db, Memberships), Relations: Rows(db, Relations));
        Assert.Contains(updated.Relations, r => r.EndsWith("|guardian|H2|2026-03-20|", StringComparison.Ordinal));
        Assert.Contains(updated.Memberships, r => r.Contains("|H1|grandchild|2026-03-21|", StringComparison.Ordinal));

        var full = HouseholdHistoryStore.Rebuild(db);
        Assert.Equal(full, update.Counts);
        Assert.Equal(Rows(db, Memberships), updated.Memberships);
        Assert.Equal(Rows(db, Relations), updated.Relations);

        // Nothing linked since: nothing to recompute. A purge marks everything changed: every household is rebuilt.
        var idle = HouseholdHistoryStore.Update(db);
        Assert.Equal((false, 0, 0), (idle.Full, idle.Persons, idle.Households));
        Assert.Equal(full, idle.Counts);

        // A state without totals (a store migrated before they were kept) has them counted from the rows once.
        using (var c = db.Open())
        {
            c.Execute("UPDATE household_history_state SET memberships = NULL, persons = NULL, persons_in_several = NULL, guardians = NULL, siblings = NULL");
        }

        Assert.Equal(full, HouseholdHistoryStore.Update(db).Counts);
        using (var c = db.Open())
        {
            Assert.Equal(full.Memberships, c.ExecuteScalar<long>("SELECT memberships FROM household_history_state"));
        }

        using (var c = db.Open())
        using (var tx = c.BeginTransaction())
        {
            PersonChanges.MarkAll(c, tx, Now.AddDays(2));
            tx.Commit();
        }

        var afterPurge = HouseholdHistoryStore.Update(db);
        Assert.True(afterPurge.Full);
        Assert.Equal(full, afterPurge.Counts);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Update_OfAStoreWhoseHouseholdsReflectNoGeneration_RebuildsEveryHousehold(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(db, "jumin_legacy", "full", Snapshot(2, "0000000001", "H1", "head", "佐藤", "花子", "サトウ ハナコ", new DateOnly(1988, 1, 5), Sex.Female, new DateOnly(2010, 1, 1)));
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), new DateOnly(2026, 3, 31), Now);

        var update = HouseholdHistoryStore.Update(db);
        Assert.True(update.Full);
        Assert.Equal("no generation reflected yet", update.Reason);
        Assert.Equal(1, update.Counts.Memberships);
        using var c = db.Open();
        Assert.Equal(1, c.ExecuteScalar<long>("SELECT generation FROM household_history_state"));
    }

    /// <summary>
    /// A store migrated to the version that records the generation households reflect: its households were rebuilt
    /// by its latest link when that link succeeded and wrote the latest generation; after a purge nothing is assumed.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Migration_StartsFromTheLatestLinksGeneration_OnlyWhenNothingCameAfterIt(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(
            db,
            "jumin_legacy",
            "full",
            Snapshot(2, "0000000001", "H1", "head", "佐藤", "花子", "サトウ ハナコ", new DateOnly(1988, 1, 5), Sex.Female, new DateOnly(2010, 1, 1)),
            Snapshot(3, "0000000002", "H1", "child", "佐藤", "陽菜", "サトウ ヒナ", Birth, Sex.Female, Birth));
        var run = RunLog.Start(db, "link", Now);
        LinkageStore.Save(db, IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default), new DateOnly(2026, 3, 31), Now.AddSeconds(1));
        var full = HouseholdHistoryStore.Rebuild(db);
        RunLog.Finish(db, run, Now.AddSeconds(2), 2, "succeeded", "{}");

        void MigrateAgain()
        {
            using (var c = db.Open())
            {
                c.Execute("DROP TABLE household_history_state");
                c.Execute("DELETE FROM schema_version WHERE version = 22");
            }

            Assert.Equal([22], db.Migrate());
        }

        MigrateAgain();
        var update = HouseholdHistoryStore.Update(db);
        Assert.Equal((false, 0, 0), (update.Full, update.Persons, update.Households));
        Assert.Equal(full, update.Counts);

        using (var c = db.Open())
        using (var tx = c.BeginTransaction())
        {
            PersonChanges.MarkAll(c, tx, Now.AddMinutes(1));
            tx.Commit();
        }

        MigrateAgain();
        var afterPurge = HouseholdHistoryStore.Update(db);
        Assert.True(afterPurge.Full);
        Assert.Equal("no generation reflected yet", afterPurge.Reason);
        Assert.Equal(full, afterPurge.Counts);
    }

    private const string Memberships = "SELECT person_id, household_no, relation, from_date, to_date, ended_by, is_current, record_id FROM household_membership";
    private const string Relations = "SELECT person_id, other_person_id, kind, household_no, from_date, to_date FROM person_relation";

    /// <summary>The rows of a query as text, sorted: ids assigned anew by a rebuild are left out of the query.</summary>
    private static List<string> Rows(MimamoriDatabase db, string sql)
    {
        using var c = db.Open();
        return c.Query(sql).Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal).ToList();
    }
}
