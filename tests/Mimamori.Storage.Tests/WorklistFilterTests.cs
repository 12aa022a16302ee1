using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>The worklist's school, area and age filters, its orders and band counts; saved views stay with their user.</summary>
public sealed class WorklistFilterTests
{
    private static readonly DateOnly Today = new(2026, 4, 1);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Filters_SchoolAreaAge_SortAndCountByBand(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using (var c = db.Open())
        {
            // (id, kana, birth, address, school, band): ages on 2026-04-01 are 12, 9, 6 (birthday today), 5 and 14.
            var children = new (long Id, string Kana, string Birth, string Address, string? School, string Band)[]
            {
                (1, "アベ", "2013-06-01", "見守り市本町一丁目2番3号", "第一中", "high"),
                (2, "イトウ", "2016-07-01", "見守り市本町1-5-1", "第一小", "medium"),
                (3, "ウエダ", "2020-04-01", "見守り市緑町二丁目1番", "第一小", "low"),
                (4, "エモト", "2020-04-02", "見守り市緑町2-3-3", null, "medium"),
                (5, "オオタ", "2011-05-05", "見守り市本町1-9-9", "第一中", "none"),
            };
            foreach (var x in children)
            {
                c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, address, household_no, is_child) VALUES (@Id, '試験', '子', @Kana, 'コ', @Birth, @Address, @Id, 1)", new { x.Id, x.Kana, x.Birth, x.Address });
                c.Execute("INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@Id, 'poverty', @score, @Band, '[]', '[]', 't')", new { x.Id, score = 1.0 / x.Id, x.Band });
                if (x.School is not null)
                {
                    c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@Id, @Id, 'atena', 20, '{}')", new { x.Id });
                    c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@Id, 'school.name', '2026-03-01', @School)", new { x.Id, x.School });
                }
            }

            // Child 2 used to be at 第一中's site: only the latest school counts.
            c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (20, 2, 'atena', 20, '{}')");
            c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (20, 'school.name', '2025-03-01', '第一中')");
        }

        var q = new WorklistQuery(db);
        IReadOnlyList<long> Ids(WorklistRequest r) => q.Run(r).Rows.Select(x => x.PersonId).ToList();
        var all = new WorklistRequest(Scope.All, Today);

        Assert.Equal([1L, 2L, 4L, 3L], Ids(all));
        Assert.Equal((4L, 1L, 2L, 1L), (q.Run(all).Total, q.Run(all).ByBand["high"], q.Run(all).ByBand["medium"], q.Run(all).ByBand["low"]));
        Assert.Equal([1L], Ids(all with { School = "第一中" }));
        Assert.Equal([2L, 3L], Ids(all with { School = "第一小" }));
        Assert.Equal([1L, 2L], Ids(all with { Area = "本町1丁目" }));
        Assert.Empty(Ids(all with { Area = "存在しない町" }));
        Assert.Equal([2L, 3L], Ids(all with { MinAge = 6, MaxAge = 9 }).Order());
        Assert.Equal([4L], Ids(all with { MaxAge = 5 }));
        Assert.Equal([1L, 2L, 3L, 4L], Ids(all with { Sort = WorklistSort.Kana }));
        Assert.Equal([4L, 3L, 2L, 1L], Ids(all with { Sort = WorklistSort.Youngest }));
        Assert.Equal([1L, 2L, 3L, 4L], Ids(all with { Sort = WorklistSort.Oldest }));
        var filtered = q.Run(all with { Area = "緑町2丁目", Band = "medium" });
        Assert.Equal((1L, 1L), (filtered.Total, filtered.ByBand["medium"]));
        Assert.Equal(["本町1丁目", "緑町2丁目"], q.Areas(Scope.All));
        Assert.Equal(["第一中", "第一小"], q.Schools());

        var views = new WorklistViews(db);
        var at = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        views.Save("alice", "本町の高", "area=本町1丁目&band=high", at);
        var second = views.Save("alice", "本町の高", "area=本町1丁目&band=medium", at);
        views.Save("bob", "mine", "band=low", at);
        Assert.Equal([("本町の高", "area=本町1丁目&band=medium")], views.ForUser("alice").Select(v => (v.Name, v.Query)));
        Assert.False(views.Delete("bob", second.ViewId));
        Assert.True(views.Delete("alice", second.ViewId));
        Assert.Empty(views.ForUser("alice"));
        Assert.Single(views.ForUser("bob"));
        if (kind == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
