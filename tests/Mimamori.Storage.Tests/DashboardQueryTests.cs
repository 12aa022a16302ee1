using Dapper;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>The dashboards' counts: each child once per area under the highest band, by age, per run, per wording, per month.</summary>
public sealed class DashboardQueryTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Counts_AreaAgeTrendOutreachAndDecisions(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using (var c = db.Open())
        {
            // 1–6 in 本町1丁目 (born 2019: 6 at the reference date), 7–8 in 緑町 (born 2024: 1), 9 without an address.
            for (long id = 1; id <= 9; id++)
            {
                var address = id <= 6 ? "見守り市本町一丁目2番3号" : id <= 8 ? "見守り市緑町4-5" : null;
                var birth = id <= 6 ? "2019-04-02" : "2024-05-01";
                c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, address, household_no, is_child) VALUES (@id, '試験', '子', 'シケン', 'コ', @birth, @address, @h, 1)", new { id, birth, address, h = "H" + id });
            }

            void Need(long person, string difficulty, string band) =>
                c.Execute("INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@person, @difficulty, 0.5, @band, '[]', '[]', 'test')", new { person, difficulty, band });

            // Child 1 has two needs: counted once in its area, under high; twice in the difficulty table.
            Need(1, "futoko", "high");
            Need(1, "poverty", "medium");
            for (long id = 2; id <= 6; id++)
            {
                Need(id, "poverty", "medium");
            }

            Need(7, "poverty", "low");
            Need(8, "futoko", "none");
            Need(9, "abuse_neglect", "high");

            // Outreach: five letters of wording A (two applied, one then opted out), one of B still a draft.
            for (long m = 1; m <= 6; m++)
            {
                c.Execute(
                    "INSERT INTO outreach_message (message_id, campaign, household_no, person_id, program, channel, state, subject, body, created_at, variant) VALUES (@m, 'c1', @h, @m, 'p', 'letter', @state, 's', 'b', '2026-01-01', @variant)",
                    new { m, h = "H" + m, state = m == 6 ? "draft" : "sent", variant = m == 6 ? "B" : "A" });
            }

            c.Execute("INSERT INTO message_response (response_id, message_id, household_no, response, responded_at) VALUES (1, 1, 'H1', 'applied', '2026-01-05'), (2, 2, 'H2', 'applied', '2026-01-06'), (3, 2, 'H2', 'opted_out', '2026-01-07')");
            c.Execute(
                "INSERT INTO judgement (judgement_id, person_id, decision, reasons, decided_by, decided_by_name, role, organisation, overrides_score, decided_at, snapshot, model_version) " +
                "VALUES (1, 1, 'watch', 'r', 'u', 'n', 'caseworker', 'o', 0, '2026-01-31T16:00:00.0000000Z', '{}', 'test'), (2, 1, 'support_needed', 'r', 'u', 'n', 'caseworker', 'o', 0, '2026-02-10T01:00:00.0000000Z', '{}', 'test')");
        }

        var q = new DashboardQuery(db);
        var area = q.NeedsByArea(bySchool: false);
        Assert.Equal(["", "本町1丁目", "緑町"], area.Rows);
        Assert.Equal(["high", "medium", "low"], area.Columns);
        Assert.Equal(new long[,] { { 1, 0, 0 }, { 1, 5, 0 }, { 0, 0, 1 } }, area.Counts);

        var agesPerRequest = q.NeedsByDifficultyAndAge(new DateOnly(2026, 3, 31));

        // Once detection has written the worklist ranking, the counts come from it, and are the same (and as below).
        using (var c = db.Open())
        using (var tx = c.BeginTransaction())
        {
            WorklistRanking.Rebuild(c, tx, DateTimeOffset.UnixEpoch);
            tx.Commit();
        }

        var ranked = q.NeedsByArea(bySchool: false);
        Assert.Equal(area.Rows, ranked.Rows);
        Assert.Equal(area.Counts, ranked.Counts);
        var rankedAges = q.NeedsByDifficultyAndAge(new DateOnly(2026, 3, 31));
        Assert.Equal(agesPerRequest.Rows, rankedAges.Rows);
        Assert.Equal(agesPerRequest.Counts, rankedAges.Counts);

        var ages = q.NeedsByDifficultyAndAge(new DateOnly(2026, 3, 31));
        Assert.Equal(["abuse_neglect", "futoko", "poverty"], ages.Rows);
        Assert.Equal(new long[] { 0, 0, 6, 0, 0 }, Enumerable.Range(0, 5).Select(i => ages.Counts[2, i]));
        Assert.Equal(1, ages.Counts[0, 0]);

        NeedSnapshots.Save(db, 10, new DateOnly(2026, 3, 31));
        using (var c = db.Open())
        {
            c.Execute("DELETE FROM need_assessment WHERE person_id > 3");
        }

        NeedSnapshots.Save(db, 11, new DateOnly(2026, 4, 30));
        var trend = q.Trend();
        Assert.Equal([new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 30)], trend.Select(t => t.ReferenceDate));
        Assert.Equal((7L, 6L, 1L), (trend[0].Children["any"], trend[0].Children["poverty"], trend[0].Children["futoko"]));
        Assert.Equal((3L, 3L), (trend[1].Children["any"], trend[1].Children["poverty"]));

        var outreach = q.OutreachUptake();
        Assert.Equal(["c1 / A"], outreach.Rows);
        Assert.Equal(new long[,] { { 1, 0, 1, 3 } }, outreach.Counts);

        // 16:00 UTC on 31 January is 1 February in Japan.
        var decisions = q.Decisions();
        Assert.Equal(2, decisions.Count);
        if (kind == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void CountsFromTheRanking_AreKeptUntilItIsRebuiltOrSetAside(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        void Child(long id, string band)
        {
            using var c = db.Open();
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, address, household_no, is_child) VALUES (@id, '試験', '子', 'シケン', 'コ', '2019-04-02', '見守り市本町一丁目2番3号', @h, 1)", new { id, h = "H" + id });
            c.Execute("INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@id, 'poverty', 0.5, @band, '[]', '[]', 'test')", new { id, band });
        }

        void Rebuild(DateTimeOffset at)
        {
            using var c = db.Open();
            using var tx = c.BeginTransaction();
            WorklistRanking.Rebuild(c, tx, at);
            tx.Commit();
        }

        for (long id = 1; id <= 6; id++)
        {
            Child(id, "medium");
        }

        Rebuild(DateTimeOffset.UnixEpoch);
        var q = new DashboardQuery(db);
        var today = new DateOnly(2026, 3, 31);
        Assert.Equal(new long[,] { { 0, 6, 0 } }, q.NeedsByArea(bySchool: false).Counts);
        Assert.Equal(6, q.NeedsByDifficultyAndAge(today).Counts[0, 2]);

        // A caller changing its grid does not change what the next one gets.
        q.NeedsByArea(bySchool: false).Counts[0, 1] = 99;
        Assert.Equal(new long[,] { { 0, 6, 0 } }, q.NeedsByArea(bySchool: false).Counts);

        // The ranking is read once per build: rows changed under the same build (only a rebuild writes them) are not
        // read again, and assessments written without a rebuild are not counted (detect writes both at once).
        using (var c = db.Open())
        {
            c.Execute("DELETE FROM worklist_rank WHERE person_id = 1");
        }

        Child(7, "high");
        Assert.Equal(new long[,] { { 0, 6, 0 } }, new DashboardQuery(db).NeedsByArea(bySchool: false).Counts);
        Assert.Equal(6, q.NeedsByDifficultyAndAge(today).Counts[0, 2]);

        // A new build is counted again, and so is another day for ages.
        Rebuild(DateTimeOffset.UnixEpoch.AddDays(1));
        Assert.Equal(new long[,] { { 1, 6, 0 } }, q.NeedsByArea(bySchool: false).Counts);
        Assert.Equal(7, q.NeedsByDifficultyAndAge(today).Counts[0, 2]);
        Assert.Equal(7, q.NeedsByDifficultyAndAge(new DateOnly(2031, 4, 2)).Counts[0, 3]);

        // Once link or purge sets the ranking aside, the counts are read live.
        Child(8, "low");
        using (var c = db.Open())
        {
            c.Execute(WorklistRanking.InvalidateSql);
        }

        Assert.Equal(new long[,] { { 1, 6, 1 } }, q.NeedsByArea(bySchool: false).Counts);
        if (kind == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
