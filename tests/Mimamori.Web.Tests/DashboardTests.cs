using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;

namespace Mimamori.Web.Tests;

/// <summary>The dashboards: counts only, small cells shown as &lt;5, charts drawn by the app, access by policy, every view audited.</summary>
[Collection(WebGroup.Name)]
public sealed class DashboardTests(WebFixture fixture)
{
    [Fact]
    public void Throughput_CountsDecisionsPerMonthInJapanTime()
    {
        var grid = DashboardPages.Throughput([
            (new DateTimeOffset(2026, 1, 31, 16, 0, 0, TimeSpan.Zero), "watch"), // 1 February in Japan
            (new DateTimeOffset(2026, 1, 31, 14, 0, 0, TimeSpan.Zero), "watch"),
            (new DateTimeOffset(2026, 2, 3, 0, 0, 0, TimeSpan.Zero), "refer"),
        ]);
        Assert.Equal(["2026-01", "2026-02"], grid.Rows);
        var watch = grid.Columns.ToList().IndexOf("watch");
        var refer = grid.Columns.ToList().IndexOf("refer");
        Assert.Equal((1L, 1L, 1L), (grid.Counts[0, watch], grid.Counts[1, watch], grid.Counts[1, refer]));
    }

    [Fact]
    public async Task Supervisor_OpensDashboardsFromTheMenu_SmallCountsShowAsUnder5()
    {
        // A past detection run large enough to show figures: 12 children flagged, 7 for poverty, 3 for futoko.
        using (var c = fixture.Database.Open())
        {
            c.Execute("DELETE FROM need_snapshot WHERE run_id = 7001");
            c.Execute("INSERT INTO need_snapshot (run_id, reference_date, difficulty, band, children) VALUES (7001, '2025-03-31', 'any', 'flagged', 12), (7001, '2025-03-31', 'poverty', 'medium', 7), (7001, '2025-03-31', 'futoko', 'high', 3)");
        }

        var (user, password) = fixture.NewUser("supervisor");
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(user, password);
        int PersonEvents() => fixture.Audit.Query(new AuditQuery(null, user, null, null)).Count(e => e.Subject.StartsWith("person:", StringComparison.Ordinal));
        var personEventsBefore = PersonEvents(); // the worklist, shown after sign-in
        await s.Page.ClickAsync("nav a[href='/dashboard']");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal("ダッシュボード — 見守り", await s.Page.TitleAsync());

        // Three children are flagged in the test data: every area cell is 1–4 and shows as <5, never as a number.
        var areaTable = s.Page.Locator("table[data-chart='area-chart']");
        Assert.Contains("本町1丁目", await areaTable.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await areaTable.Locator("td.suppressed").CountAsync() > 0);
        foreach (var cell in await areaTable.Locator("td").AllInnerTextsAsync())
        {
            Assert.True(cell is "<5" or "0" or "—", $"area cell shows '{cell}'");
        }

        Assert.Equal(1, await s.Page.Locator("svg#area-chart").CountAsync());
        Assert.Equal(1, await s.Page.Locator("svg#age-chart").CountAsync());

        // The trend row of the past run: 12 and 7 are shown, 3 is not.
        var trendRow = s.Page.Locator("table[data-chart='trend-chart'] tbody tr", new() { HasText = "令和7年3月31日" });
        var cells = await trendRow.Locator("td").AllInnerTextsAsync();
        Assert.Equal("12", cells[0]);
        Assert.Contains("7", cells);
        Assert.Contains("<5", cells);
        Assert.DoesNotContain("3", cells);
        Assert.True(await s.Page.Locator("polyline.trend-line[data-series='any']").CountAsync() == 1);

        await s.Page.ClickAsync("a[href='/dashboard?by=school']");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains(TestData.SchoolA, await s.Page.Locator("table[data-chart='area-chart']").InnerTextAsync(), StringComparison.Ordinal);
        s.AssertStayedLocal();

        var views = fixture.Audit.Query(new AuditQuery("dashboard", user, null, null));
        Assert.Equal(2, views.Count(e => e.Outcome == "allowed" && e.Purpose == "statistics" && e.Action == "view"));
        Assert.Equal(personEventsBefore, PersonEvents()); // counts name no child
    }

    [Theory]
    [InlineData("school_staff", "own_school:" + TestData.SchoolA)]
    [InlineData("administrator", "all")]
    public async Task RolesWithoutTheStatisticsPurposeOrACityWideScope_AreRefused(string role, string scope)
    {
        var (user, password) = fixture.NewUser(role, scope);
        var client = fixture.Client();
        await client.PostAsJsonAsync("/api/login", new { user, password });
        var response = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("area-chart", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(fixture.Audit.Query(new AuditQuery("dashboard", user, null, null)), e => e.Outcome == "denied");
    }
}
