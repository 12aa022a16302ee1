using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Casework;

namespace Mimamori.Web.Tests;

/// <summary>Support plans and tasks from the child page, and the overdue view on a clock the test moves.</summary>
[Collection(WebGroup.Name)]
public sealed class PlanTests(WebFixture fixture)
{
    private static readonly DateTimeOffset April10 = new(2026, 4, 10, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Browser_CaseworkerCreatesAPlanAndATask_ItIsOverdueOnceItsDatePasses()
    {
        await using var app = await ClockedApp.Start(fixture, April10);
        var (user, password) = fixture.NewUser("caseworker");
        await using var s = await BrowserSession.Open(fixture, app.BaseAddress);
        await s.LogIn(user, password);

        await s.Go($"/children/{TestData.Misaki}");
        var goals = "登校の再開と生活リズムの安定 " + Guid.NewGuid().ToString("N")[..6];
        if (await s.Page.Locator("#plans details[open]").CountAsync() == 0)
        {
            await s.Page.ClickAsync("#plans summary");
        }

        await s.Page.FillAsync("form.plan-form textarea[name=goals]", goals);
        await s.Page.FillAsync("form.plan-form textarea[name=services]", "学習支援、家庭訪問");
        await s.Page.FillAsync("form.plan-form input[name=agency]", "こども家庭センター");
        await s.Page.FillAsync("form.plan-form input[name=review_on]", "2026-05-31");
        await s.Page.ClickAsync("form.plan-form button[type=submit]");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var plan = new PlanStore(fixture.Database).ForPerson(TestData.Misaki).Single(p => p.Goals == goals);
        Assert.Equal(("こども家庭センター", new DateOnly(2026, 5, 31), user), (plan.Agency, plan.ReviewOn, plan.CreatedBy));
        var block = s.Page.Locator($"div.plan[data-plan=\"{plan.PlanId}\"]");
        Assert.Contains("令和8年5月31日", await block.InnerTextAsync(), StringComparison.Ordinal);

        var title = "家庭訪問 " + Guid.NewGuid().ToString("N")[..6];
        await block.Locator("form.task-form input[name=title]").FillAsync(title);
        await block.Locator("form.task-form input[name=due_on]").FillAsync("2026-04-20");
        await block.Locator("form.task-form button[type=submit]").ClickAsync();
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var task = new PlanStore(fixture.Database).TasksOf(TestData.Misaki).Single(t => t.Title == title);
        Assert.Equal((new DateOnly(2026, 4, 20), PlanTaskStatus.Open), (task.DueOn, task.Status));

        // Not late on its due date.
        await s.Page.ClickAsync("header nav >> text=支援計画・期限");
        await s.Page.WaitForURLAsync("**/plans");
        Assert.Equal(0, await s.Page.Locator($"tr[data-task=\"{task.TaskId}\"]").CountAsync());

        // The clock moves past the due date (the session has expired meanwhile: sign in again).
        app.Clock.Advance(TimeSpan.FromDays(11));
        await s.LogIn(user, password);
        await s.Go("/plans");
        var row = s.Page.Locator($"table.overdue-tasks tr[data-task=\"{task.TaskId}\"]");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains(title, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("1", await row.Locator("td").Nth(3).InnerTextAsync(), StringComparison.Ordinal);
        var expected = new PlanStore(fixture.Database).OverdueOn(new DateOnly(2026, 4, 21));
        Assert.Equal(expected.Tasks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), await s.Page.InnerTextAsync("strong.overdue-tasks"));
        Assert.Equal((expected.Tasks.Count + expected.Plans.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), await s.Page.InnerTextAsync("header nav .alert-count"));
        Assert.Equal(0, await s.Page.Locator($"table.overdue-plans tr[data-plan=\"{plan.PlanId}\"]").CountAsync());

        // Past the review date the plan is late too; marking the task done takes it off the list.
        app.Clock.Advance(TimeSpan.FromDays(41));
        await s.LogIn(user, password);
        await s.Go("/plans");
        Assert.Equal(1, await s.Page.Locator($"table.overdue-plans tr[data-plan=\"{plan.PlanId}\"]").CountAsync());
        await s.Page.ClickAsync($"table.overdue-tasks tr[data-task=\"{task.TaskId}\"] a");
        await s.Page.Locator($"tr[data-task=\"{task.TaskId}\"] form.task-done button").ClickAsync();
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal((PlanTaskStatus.Done, user), (new PlanStore(fixture.Database).FindTask(task.TaskId)!.Status, new PlanStore(fixture.Database).FindTask(task.TaskId)!.DoneBy));
        await s.Go("/plans");
        Assert.Equal(0, await s.Page.Locator($"tr[data-task=\"{task.TaskId}\"]").CountAsync());
        s.AssertStayedLocal();

        var changes = fixture.Audit.Query(new AuditQuery($"person:{TestData.Misaki}", user, null, null)).Where(e => e.Action == "change").Select(e => e.Outcome).ToList();
        Assert.Contains($"recorded:plan:{plan.PlanId}", changes);
        Assert.Contains($"recorded:task:{task.TaskId}", changes);
        Assert.Contains($"done:task:{task.TaskId}", changes);
        Assert.All(fixture.Audit.Query(new AuditQuery(User: user)).Where(e => e.Action == "change"), e => Assert.Equal("support_decision", e.Purpose));
    }

    [Fact]
    public async Task OverdueApi_ListsLateItemsInScope_AndSchoolStaffAreRefused()
    {
        await using var app = await ClockedApp.Start(fixture, April10);
        var store = new PlanStore(fixture.Database);
        var plan = store.Create(new NewPlan(TestData.Shota, null, "学習習慣", "", "こども家庭センター", new DateOnly(2026, 4, 30), "caseworker"), April10);
        var task = store.AddTask(new NewTask(plan.PlanId, "担任と面談", new DateOnly(2026, 4, 15), "鈴木", "caseworker"), April10);
        app.Clock.Advance(TimeSpan.FromDays(30));

        var (user, password) = fixture.NewUser("supervisor");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        var json = await client.GetFromJsonAsync<JsonElement>("/api/casework/overdue");
        Assert.Equal("2026-05-10", json.GetProperty("asOf").GetString());
        var row = json.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetInt64() == task.TaskId);
        Assert.Equal((25, "山田 翔太"), (row.GetProperty("daysLate").GetInt32(), row.GetProperty("name").GetString()));
        Assert.Contains(json.GetProperty("plans").EnumerateArray(), p => p.GetProperty("planId").GetInt64() == plan.PlanId && p.GetProperty("daysLate").GetInt32() == 10);
        Assert.Equal(json.GetProperty("tasks").GetArrayLength(), json.GetProperty("overdueTasks").GetInt32());
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", user, null, null)), e => e.Action == "search" && e.Purpose == "support_decision");

        // School staff neither see plans nor may write one; both refusals are audited.
        var (teacher, teacherPassword) = fixture.NewUser("school_staff", "own_school:" + TestData.SchoolA);
        using var school = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await school.PostAsJsonAsync("/api/login", new { user = teacher, password = teacherPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await school.GetAsync("/api/casework/overdue")).StatusCode);
        var page = await school.GetStringAsync($"/children/{TestData.Shota}");
        Assert.DoesNotContain("id=\"plans\"", page, StringComparison.Ordinal);
        var token = await CampaignTestData.Token(school, $"/children/{TestData.Shota}");
        var refused = await CampaignTestData.Post(school, $"/children/{TestData.Shota}/plans", token, ("goals", "x"), ("agency", "学校"), ("review_on", "2026-06-01"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", teacher, null, null)), e => e.Action == "change" && e.Outcome == "denied");
        Assert.DoesNotContain(store.ForPerson(TestData.Shota), p => p.Goals == "x");
    }
}
