using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>
/// The precomputed worklist ranking gives the same pages as ranking every child per request, for every filter, order,
/// scope and page of a random town; casework recorded after the ranking was built shows at once.
/// </summary>
public sealed class WorklistRankingTests
{
    private static readonly DateOnly Today = new(2026, 4, 1);
    private static readonly DateTimeOffset Noon = new(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly string[] Difficulties = ["futoko", "poverty", "abuse"];
    private static readonly string[] Bands = ["none", "low", "medium", "high"];
    private static readonly string[] Towns = ["本町1丁目", "本町2丁目", "緑町1丁目", "上戸田3丁目", "新曽"];
    private static readonly string[] Schools = ["第一小", "第二小", "第一中", "戸田東中"];
    private static readonly string[] Kana = ["アベ", "イトウ", "ウエダ", "エモト", "オオタ", "カトウ"];
    private static readonly string[] Decisions = [Decision.SupportNeeded, Decision.Watch, Decision.Refer, Decision.NotNeeded];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Ranking_GivesTheSamePagesAsRankingPerRequest(string kind)
    {
        var db = Town(kind, seed: 7, children: 240);
        Rebuild(db);
        var ranked = new WorklistQuery(db);
        var reference = new WorklistQuery(db) { RankPerRequest = true };

        var scopes = new (Scope Scope, IReadOnlyList<string>? Departments)[]
        {
            (Scope.All, null),
            (Scope.OwnSchool("第一小"), null),
            (Scope.OwnCases.For("suzuki"), null),
            (Scope.OwnDepartment, ["health"]),
            (Scope.None, null),
        };
        var filters = new List<Func<WorklistRequest, WorklistRequest>>
        {
            r => r,
            r => r with { Band = "high" },
            r => r with { Band = "low" },
            r => r with { Status = JudgementStatus.Undecided },
            r => r with { Status = JudgementStatus.OnAgenda },
            r => r with { Status = JudgementStatus.Supporting },
            r => r with { Status = JudgementStatus.NotRegistered },
            r => r with { Yotaikyo = Casework.YotaikyoFilter.Registered },
            r => r with { Yotaikyo = Casework.YotaikyoFilter.NotRegistered },
            r => r with { MinAge = 6, MaxAge = 12 },
            r => r with { MaxAge = 5 },
            r => r with { MinAge = 13 },
            r => r with { Area = "本町1丁目", Band = "medium" },
            r => r with { Area = "存在しない町" },
            r => r with { Assigned = WorklistAssigned.Mine, AssignedTo = "suzuki" },
            r => r with { Assigned = WorklistAssigned.Any },
            r => r with { Assigned = WorklistAssigned.None, Band = "high" },
        };
        filters.AddRange(Difficulties.Select(d => (Func<WorklistRequest, WorklistRequest>)(r => r with { Difficulty = d })));
        filters.AddRange(Difficulties.Select(d => (Func<WorklistRequest, WorklistRequest>)(r => r with { Difficulty = d, Band = "medium" })));
        filters.AddRange(Towns.Select(t => (Func<WorklistRequest, WorklistRequest>)(r => r with { Area = t })));
        filters.AddRange(Schools.Select(s => (Func<WorklistRequest, WorklistRequest>)(r => r with { School = s })));

        var compared = 0;
        foreach (var (scope, departments) in scopes)
        {
            Assert.Equal(reference.Areas(scope, departments), ranked.Areas(scope, departments));
            foreach (var filter in filters)
            {
                foreach (var sort in WorklistSort.All)
                {
                    foreach (var (page, size) in new[] { (1, 25), (2, 25), (4, 25), (1, 200) })
                    {
                        var request = filter(new WorklistRequest(scope, Today, Page: page, PageSize: size, DepartmentCategories: departments, Sort: sort == WorklistSort.Priority ? null : sort));
                        var expected = reference.Run(request);
                        var actual = ranked.Run(request);
                        Assert.Equal(Describe(expected), Describe(actual));
                        compared += expected.Rows.Count;
                    }
                }
            }
        }

        Assert.Equal(reference.Schools(), ranked.Schools());

        // The comparison is not vacuous: the whole list, and the narrower scopes, list children.
        Assert.True(compared > 10_000, $"only {compared} rows compared");
        Assert.True(ranked.Run(new WorklistRequest(Scope.All, Today)).Total > 100);
        Assert.NotEqual(0, ranked.Run(new WorklistRequest(Scope.OwnSchool("第一小"), Today)).Total);
        Assert.NotEqual(0, ranked.Run(new WorklistRequest(Scope.OwnCases.For("suzuki"), Today)).Total);
        Assert.Equal(0, ranked.Run(new WorklistRequest(Scope.None, Today)).Total);
        Done(kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Ranking_IsUsed_AndADecisionShowsAtOnce(string kind)
    {
        var db = Town(kind, seed: 11, children: 60);
        Rebuild(db);
        var query = new WorklistQuery(db);
        var all = new WorklistRequest(Scope.All, Today, PageSize: 200);
        var undecided = query.Run(all with { Status = JudgementStatus.Undecided }).Rows.Select(r => r.PersonId).ToList();
        var child = undecided[0];

        // The ranking is what is read: a child removed from it alone leaves the list (the reference still lists them).
        using (var c = db.Open())
        {
            c.Execute("DELETE FROM worklist_rank WHERE person_id = @child", new { child });
        }

        Assert.DoesNotContain(child, query.Run(all).Rows.Select(r => r.PersonId));
        Assert.Contains(child, new WorklistQuery(db) { RankPerRequest = true }.Run(all).Rows.Select(r => r.PersonId));
        Rebuild(db);

        var other = undecided[1];
        var store = new JudgementStore(db);
        store.Record(
            new NewJudgement(other, Decision.SupportNeeded, "家庭訪問で確認", new Decider("caseworker", "相談員", "caseworker", "こども家庭センター"), null, false, new JudgementSnapshot(Today, [], null, "policy-test", "early_support")),
            Noon);

        Assert.DoesNotContain(other, query.Run(all with { Status = JudgementStatus.Undecided }).Rows.Select(r => r.PersonId));
        Assert.Contains(other, query.Run(all with { Status = JudgementStatus.Supporting }).Rows.Select(r => r.PersonId));
        Assert.Contains(other, query.Run(all with { Status = JudgementStatus.NotRegistered }).Rows.Select(r => r.PersonId));
        var row = query.Run(all).Rows.Single(r => r.PersonId == other);
        Assert.Equal(Decision.SupportNeeded, row.Judgement.Decision);

        // A new case assignment widens an own_cases scope at once, and ending it narrows it again.
        var holder = Scope.OwnCases.For("tanaka");
        Assert.Equal(0, query.Run(new WorklistRequest(holder, Today)).Total);
        using (var c = db.Open())
        {
            c.Execute(
                "INSERT INTO case_assignment (assignment_id, person_id, user_name, organisation, reason, assigned_at, assigned_by) VALUES (9001, @child, 'tanaka', 'こども家庭センター', '担当', '2026-04-01', 'supervisor')",
                new { child });
        }

        Assert.Equal([child], query.Run(new WorklistRequest(holder, Today)).Rows.Select(r => r.PersonId));
        Assert.Equal([child], query.Run(all with { Assigned = WorklistAssigned.Mine, AssignedTo = "tanaka" }).Rows.Select(r => r.PersonId));
        Assert.DoesNotContain(child, query.Run(all with { Assigned = WorklistAssigned.None }).Rows.Select(r => r.PersonId));
        Assert.Equal(0, query.Run(all with { Assigned = WorklistAssigned.Mine, AssignedTo = "nobody" }).Total);
        using (var c = db.Open())
        {
            c.Execute("UPDATE case_assignment SET ended_at = '2026-04-02', ended_by = 'supervisor' WHERE assignment_id = 9001");
        }

        Assert.Equal(0, query.Run(new WorklistRequest(holder, Today)).Total);
        Done(kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Ranking_FollowsTheAssessments_WhenDetectionWritesThem(string kind)
    {
        var db = Town(kind, seed: 3, children: 30);
        var query = new WorklistQuery(db);
        var reference = new WorklistQuery(db) { RankPerRequest = true };
        var all = new WorklistRequest(Scope.All, Today, PageSize: 200);

        // Before any ranking is built (a store detected before it existed) the list is still ranked, per request.
        Assert.Equal(Describe(reference.Run(all)), Describe(query.Run(all)));

        // Detection writes the assessments and the ranking together: one child now has the only high need.
        var assessments = new List<Needs.Scoring.NeedAssessment>();
        using (var c = db.Open())
        {
            foreach (var (person, difficulty, score, band) in c.Query<(long, string, double, string)>("SELECT person_id, difficulty, score, band FROM need_assessment"))
            {
                assessments.Add(new Needs.Scoring.NeedAssessment(person, difficulty, person == 5 ? 0.99 : score / 2, person == 5 ? "high" : band == "high" ? "medium" : band, [], []));
            }
        }

        Pipeline.AssessmentStore.SaveAssessments(db, assessments, "rules-test");
        var first = query.Run(all);
        Assert.Equal(5L, first.Rows[0].PersonId);
        Assert.Equal(1L, first.ByBand["high"]);
        Assert.Equal(Describe(reference.Run(all)), Describe(first));
        Done(kind);
    }

    private static string Describe(WorklistPage page) =>
        $"{page.Total} {string.Join(",", page.ByBand.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))} | " +
        string.Join(" ", page.Rows.Select(r => $"{r.PersonId}:{r.School}:{string.Join("+", r.Needs.Select(n => n.Difficulty + "/" + n.Band))}:{r.Judgement.Decision}:{r.Judgement.OnAgenda}:{r.Judgement.RegisteredWithYotaikyo}"));

    private static void Rebuild(MimamoriDatabase db)
    {
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        WorklistRanking.Rebuild(c, tx, Noon);
        tx.Commit();
    }

    private static void Done(string kind)
    {
        if (kind == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// A random town: children with needs in several difficulties and bands (score ties included), readings and
    /// birth dates that tie, addresses in a few 町丁目, school histories (a later school, a dateless one, one with no
    /// name), some adults with needs, decisions, agenda items, 要対協 registrations, case assignments and health records.
    /// </summary>
    private static MimamoriDatabase Town(string kind, int seed, int children)
    {
        var random = new Random(seed);
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var record = 1000L;
        var judgementId = 1L;
        c.Execute("INSERT INTO meeting (meeting_id, held_on, title, kind, attendees, created_by, created_at) VALUES (1, '2026-04-10', '4月 ケース会議', 'case_meeting', '[]', 'supervisor', '2026-04-01')", transaction: tx);
        for (var id = 1L; id <= children + 20; id++)
        {
            var isChild = id <= children;
            var birth = random.Next(20) == 0 ? null : isChild
                ? new DateOnly(2008, 4, 1).AddDays(random.Next(18 * 365)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                : "1985-01-01";
            var chome = random.Next(1, 4);
            var address = random.Next(15) == 0 ? null : random.Next(2) == 0
                ? $"見守り市本町{chome}-{random.Next(1, 9)}-1"
                : $"見守り市{(random.Next(2) == 0 ? "緑町" : "上戸田")}{chome}丁目{random.Next(1, 9)}番";
            c.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, address, household_no, is_child) VALUES (@id, '試験', '子', @kana, @given, @birth, @address, @id, @isChild)",
                new { id, kana = Kana[random.Next(Kana.Length)], given = random.Next(3) == 0 ? "コ" : "タロウ", birth, address, isChild = isChild ? 1L : 0L },
                tx);
            foreach (var difficulty in Difficulties.Where(_ => random.Next(3) > 0))
            {
                // Scores from a small set, so that ties are frequent and broken by the person id.
                c.Execute(
                    "INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@id, @difficulty, @score, @band, '[]', '[]', 't')",
                    new { id, difficulty, score = random.Next(10) / 10.0, band = Bands[random.Next(Bands.Length)] },
                    tx);
            }

            for (var s = random.Next(4); s > 0; s--)
            {
                record++;
                c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (@record, 1, 'gakureibo', 'education', 'g.csv', 2, '{}')", new { record }, tx);
                c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@record, @id, 'atena', 20, '{}')", new { record, id }, tx);
                c.Execute(
                    "INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@record, 'school.name', @date, @school)",
                    new { record, date = random.Next(8) == 0 ? null : $"202{random.Next(3, 6)}-0{random.Next(1, 4)}-01", school = random.Next(12) == 0 ? null : Schools[random.Next(Schools.Length)] },
                    tx);
            }

            if (random.Next(4) == 0)
            {
                record++;
                c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (@record, 1, 'kenshin', 'health', 'k.csv', 2, '{}')", new { record }, tx);
                c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@record, @id, 'atena', 20, '{}')", new { record, id }, tx);
            }

            if (random.Next(6) == 0)
            {
                record++;
                c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (@record, 1, 'yotaikyo', 'child_welfare', 'y.csv', 2, '{}')", new { record }, tx);
                c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@record, @id, 'atena', 10, '{}')", new { record, id }, tx);
                c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@record, 'cw.yotaikyo_kind', '2025-06-01', 'support')", new { record }, tx);
                c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@record, 'cw.yotaikyo_status', '2025-06-01', @status)", new { record, status = random.Next(2) == 0 ? "open" : "closed" }, tx);
            }

            for (var j = random.Next(-2, 3); j > 0; j--)
            {
                c.Execute(
                    "INSERT INTO judgement (judgement_id, person_id, decision, reasons, decided_by, decided_by_name, role, organisation, overrides_score, decided_at, model_version, snapshot) " +
                    "VALUES (@judgementId, @id, @decision, '理由', 'caseworker', '相談員', 'caseworker', 'こども家庭センター', 0, '2026-03-01T00:00:00Z', 't', '{}')",
                    new { judgementId = judgementId++, id, decision = Decisions[random.Next(Decisions.Length)] },
                    tx);
            }

            if (random.Next(8) == 0)
            {
                c.Execute("INSERT INTO meeting_agenda (meeting_id, person_id, added_by, added_at) VALUES (1, @id, 'caseworker', '2026-04-01')", new { id }, tx);
            }

            if (random.Next(10) == 0)
            {
                c.Execute(
                    "INSERT INTO yotaikyo_registration (registration_id, person_id, kind, registered_on, recorded_by, recorded_at) VALUES (@id, @id, 'support', '2026-01-01', 'caseworker', '2026-01-01')",
                    new { id },
                    tx);
            }

            if (random.Next(5) == 0)
            {
                c.Execute(
                    "INSERT INTO case_assignment (assignment_id, person_id, user_name, organisation, reason, assigned_at, assigned_by, ended_at) VALUES (@id, @id, 'suzuki', 'こども家庭センター', '担当', '2026-01-01', 'supervisor', @ended)",
                    new { id, ended = random.Next(4) == 0 ? "2026-02-01" : null },
                    tx);
            }
        }

        tx.Commit();
        return db;
    }
}
