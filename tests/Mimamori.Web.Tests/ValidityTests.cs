using System.Net;
using System.Net.Http.Json;
using Dapper;
using Mimamori.Needs.Model;
using Mimamori.Needs.Validation;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Web.Tests;

/// <summary>The validity page: the rules' list at a past date against later confirmations, and the model card with its bands explained.</summary>
[Collection(WebGroup.Name)]
public sealed class ValidityTests(WebFixture fixture)
{
    [Fact]
    public void Compute_RulesListAYearBack_AgainstLaterRegistrations()
    {
        var db = MimamoriDatabase.FromSetting(Path.Combine(Path.GetTempPath(), $"mimamori-validity-{Guid.NewGuid():N}.db"));
        db.Migrate();
        using (var c = db.Open())
        {
            for (long id = 1; id <= 20; id++)
            {
                c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (@id, '試験', '子', 'シケン', 'コ', '2020-06-01', @h, 1)", new { id, h = "H" + id });
                c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (@id, 1, 'katei_sodan', 'child_welfare', 's.csv', @id, '{}')", new { id });
                c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@id, @id, 'atena', 20, '{}')", new { id });
            }

            void Fact(long person, string kind, string date, string text) =>
                c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@person, @kind, @date, @text)", new { person, kind, date, text });

            // Four-year-olds: no school or check-up is due, so only the abuse report below can put them on the list.
            // 1–8: an abuse report half a year before the reference date (the rule fires: band high).
            for (long id = 1; id <= 8; id++)
            {
                Fact(id, "cw.consultation_type", "2024-10-01", "abuse_report");
            }

            // A report after the reference date is not seen by the list taken then.
            Fact(11, "cw.consultation_type", "2025-05-01", "abuse_report");

            // 1–5 registered with 要対協 two months later, 9–10 registered without having been on the list, 12 before it.
            for (long id = 1; id <= 5; id++)
            {
                Fact(id, "cw.yotaikyo_kind", "2025-06-01", "support");
            }

            Fact(9, "cw.yotaikyo_kind", "2025-08-01", "protection");
            Fact(10, "cw.jisou_consultation", "2025-09-01", "abuse");
            Fact(12, "cw.yotaikyo_kind", "2024-12-01", "support");
        }

        var test = ValidityPages.Compute(db, new DateOnly(2026, 3, 31), 12);
        Assert.Equal(new DateOnly(2025, 3, 31), test.Reference);
        var any = test.Report!.Rows.Single(r => r.Difficulty == ListValidity.Any);
        // 20 children, 12 already known → 19. On the list: 1–8. Confirmed afterwards: 1–5, 9, 10. Hits: 1–5, 2 months ahead.
        Assert.Equal((19, 1, 8, 7, 5), (any.Children, any.AlreadyKnown, any.Flagged, any.Confirmed, any.FlaggedConfirmed));
        Assert.Equal(5 / 8.0, any.PrecisionShown);
        Assert.Equal(5 / 7.0, any.RecallShown);
        Assert.Equal(2, any.MedianLeadMonthsShown);
        Assert.Equal(test.Report.Rows.Single(r => r.Difficulty == "abuse_neglect").FlaggedConfirmed, any.FlaggedConfirmed);

        // Taken at the data's own reference date, nothing has had time to be confirmed yet.
        Assert.Null(ValidityPages.Compute(db, new DateOnly(2026, 3, 31), 0).Report);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Page_ShowsSuppressedFiguresPlotsAndTheModelCardWithBandMeanings_ToCityWideDeciders()
    {
        var report = new ModelReport
        {
            Version = "model-validity-test",
            Outcome = "confirmed_need",
            FeaturesAsOf = new DateOnly(2025, 11, 28),
            OutcomeWindow = "within 12 months",
            FeatureVersion = "features-test",
            Features = ["absence_days"],
            Parameters = new TreeParameters(3, 100, 0.05, 50),
            Tried = [],
            FitChildren = 900,
            CalibrationChildren = 200,
            TestChildren = 300,
            TestPositives = 30,
            Auc = 0.87,
            AucRulesOnly = 0.74,
            AucLogistic = 0.83,
            PrAuc = 0.4,
            Ece = 0.021,
            EceUncalibrated = 0.09,
            Reliability = [new ReliabilityBin(0, 0.1, 250, 0.04, 0.05), new ReliabilityBin(0.3, 0.4, 30, 0.35, 0.33), new ReliabilityBin(0.9, 1, 3, 0.95, 1)],
            Capacity = 0.01,
            AtCapacity = new CapacityResult(3, 0.5, 0.66, 0.1),
            RulesAtCapacity = new CapacityResult(3, 0.5, 0.33, 0.05),
            GroupResults = [new GroupResult("area", "本町", 200, 20, 0.8, 0.01, 0.5, 0.1, 0.1, 0.1), new GroupResult("area", "緑町", 100, 3, 0.9, 0.01, 0.5, 0.1, 0.1, 0.1)],
            Gaps = new Dictionary<string, double>(),
            MedianLeadTimeMonths = 4,
            TrainingSeconds = 1,
        };
        ModelStore.SaveModel(fixture.Database, report.Version, "confirmed_need", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), ModelCard.Json(report), [1, 2, 3]);
        using (var c = fixture.Database.Open())
        {
            c.Execute(
                "INSERT INTO pipeline_run (run_id, stage, started_at, finished_at, rows, status, detail) VALUES (@id, 'detect', '2026-04-01T00:00:00Z', '2026-04-01T00:01:00Z', 5, 'succeeded', @detail)",
                new { id = 900_000L + Random.Shared.Next(1000), detail = """{"rules":"rules-2026.1","reference_date":"2026-03-31"}""" });
        }

        var (user, password) = fixture.NewUser("supervisor");
        var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        var page = await client.GetStringAsync("/validity?months=12");
        Assert.Contains("令和7年3月31日", page, StringComparison.Ordinal); // the list a year before the data's date
        Assert.Contains("class=\"chart rate-chart\"", page, StringComparison.Ordinal);
        Assert.Contains("5未満", page, StringComparison.Ordinal); // four test children: every count is small
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("model-validity-test", page, StringComparison.Ordinal);
        Assert.Contains("class=\"chart reliability-chart\"", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("class=\"reliability-point\"").Length - 1); // the bin of 3 children is left out
        Assert.Contains("5未満のため非表示", page, StringComparison.Ordinal);
        foreach (var band in new[] { "high", "medium", "low", "none" })
        {
            Assert.Contains($"data-band=\"{band}\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("似たデータのこどもの30%以上が", page, StringComparison.Ordinal);
        Assert.Contains("強いサインが重なっています", page, StringComparison.Ordinal);
        Assert.Contains(fixture.Audit.Query(new AuditQuery("validity", user, null, null)), e => e.Outcome == "allowed");

        var (school, schoolPassword) = fixture.NewUser("school_staff", "own_school:" + TestData.SchoolA);
        var schoolClient = fixture.Client();
        await schoolClient.PostAsJsonAsync("/api/login", new { user = school, password = schoolPassword });
        Assert.Equal(HttpStatusCode.Forbidden, (await schoolClient.GetAsync("/validity")).StatusCode);
        Assert.Contains(fixture.Audit.Query(new AuditQuery("validity", school, null, null)), e => e.Outcome == "denied");
    }
}
