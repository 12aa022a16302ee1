using System.Net;
using Microsoft.Playwright;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Access;
using Mimamori.Storage.People;

namespace Mimamori.Web.Tests;

/// <summary>Case assignment (what own_cases means) and break-glass access, end to end.</summary>
[Collection(AuthzGroup.Name)]
public sealed class AccessFlowTests(AuthzFixture fixture)
{
    [Fact]
    public async Task ASupervisorAssignsAChild_TheOwnCasesCaseworkerThenReachesIt_AndLosesItWhenTheAssignmentEnds()
    {
        using var own = await AuthzSession.SignIn(fixture, DemoAccounts.OwnCasesUser);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/api/children/{TestData.Ichiro}")).StatusCode);

        using var supervisor = await AuthzSession.SignIn(fixture, Role.Supervisor);
        var page = await supervisor.GetStringAsync($"/children/{TestData.Ichiro}");
        Assert.Contains("id=\"assignment\"", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{DemoAccounts.OwnCasesUser}\"", page, StringComparison.Ordinal);
        var token = await CampaignTestData.Token(supervisor, $"/children/{TestData.Ichiro}");
        var before = fixture.Audit.Count();
        var assigned = await CampaignTestData.Post(supervisor, $"/children/{TestData.Ichiro}/assignments", token, ("user", DemoAccounts.OwnCasesUser), ("reason", "学校からの相談を受けて担当する"));
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        var assignment = Assert.Single(new CaseAssignments(fixture.Database).Of(TestData.Ichiro), a => a.EndedAt is null);
        Assert.Equal((DemoAccounts.OwnCasesUser, "supervisor", "学校からの相談を受けて担当する"), (assignment.UserName, assignment.AssignedBy, assignment.Reason));
        var change = Assert.Single(fixture.Audit.ReadAll().Skip((int)before), e => e.Action == AuditAction.Change);
        Assert.Equal(("supervisor", Purpose.SupportDecision, "person:" + TestData.Ichiro), (change.User, change.Purpose, change.Subject));
        Assert.StartsWith("assigned:", change.Outcome, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"/api/children/{TestData.Ichiro}")).StatusCode);

        // A caseworker may not assign; the supervisor ends the assignment and the child is out of reach again.
        using var caseworker = await AuthzSession.SignIn(fixture, Role.Caseworker);
        var cwToken = await CampaignTestData.Token(caseworker, $"/children/{TestData.Ichiro}");
        Assert.Equal(HttpStatusCode.Forbidden, (await CampaignTestData.Post(caseworker, $"/children/{TestData.Ichiro}/assignments", cwToken, ("user", Role.Caseworker), ("reason", "自分で"))).StatusCode);
        var ended = await CampaignTestData.Post(supervisor, $"/children/{TestData.Ichiro}/assignments/{assignment.AssignmentId}/end", token);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/api/children/{TestData.Ichiro}")).StatusCode);
    }

    [Fact]
    public async Task BreakGlass_InTheBrowser_NeedsAReason_OpensOneChildWithABanner_AndThePrivacyOfficerReviewsIt()
    {
        var (staff, staffPassword) = fixture.NewUser(Role.SchoolStaff, "own_school:" + TestData.SchoolA);
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(staff, staffPassword);
            var refused = await s.Go($"/children/{TestData.Misaki}");
            Assert.Equal(404, refused!.Status);
            Assert.Equal(1, await s.Page.Locator("#break-glass form").CountAsync());

            // Too short a reason is refused and opens nothing.
            await s.Page.EvaluateAsync("document.getElementById('break-glass-reason').removeAttribute('minlength')");
            await s.Page.FillAsync("#break-glass-reason", "急ぎ");
            await s.Page.ClickAsync("#break-glass button[type=submit]");
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("10", await s.Page.InnerTextAsync(".error"), StringComparison.Ordinal);
            Assert.Null(new BreakGlassGrants(fixture.Database).Active(staff, TestData.Misaki, DateTimeOffset.UtcNow));

            await s.Page.FillAsync("#break-glass-reason", "下校中に保護され、保護者に連絡がつかないため");
            await s.Page.ClickAsync("#break-glass button[type=submit]");
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.EndsWith($"/children/{TestData.Misaki}", s.Page.Url, StringComparison.Ordinal);
            var banner = await s.Page.InnerTextAsync(".break-glass-banner");
            Assert.Contains("緊急アクセス中", banner, StringComparison.Ordinal);
            Assert.Contains("保護者に連絡がつかない", banner, StringComparison.Ordinal);
            Assert.Contains(TestData.SchoolB, await s.Page.InnerTextAsync("td.school"), StringComparison.Ordinal);

            // Only that child: another child outside the school stays closed.
            Assert.Equal(404, (await s.Go("/children/1"))!.Status);
            s.AssertStayedLocal();
        }

        var grant = new BreakGlassGrants(fixture.Database).Active(staff, TestData.Misaki, DateTimeOffset.UtcNow)!;
        var expires = DateTimeOffset.Parse(grant.ExpiresAt, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.Parse(grant.GrantedAt, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(4), TimeSpan.FromHours(4));
        var trail = fixture.Audit.ReadAll().Where(e => e.User == staff).ToList();
        var opened = Assert.Single(trail, e => e.Action == AuditAction.BreakGlass && e.Outcome.StartsWith("granted:", StringComparison.Ordinal));
        Assert.Equal((Purpose.BreakGlass, Role.SchoolStaff, "person:" + TestData.Misaki), (opened.Purpose, opened.Role, opened.Subject));
        Assert.Contains(trail, e => e.Action == AuditAction.BreakGlass && e.Outcome == "refused:no_reason");
        var viewed = Assert.Single(trail, e => e.Action == AuditAction.View && e.Purpose == Purpose.BreakGlass);
        Assert.Contains(DataCategory.Education, viewed.Categories);
        Assert.DoesNotContain(DataCategory.ChildWelfare, viewed.Categories);

        // The privacy officer sees the alert and records the review with a note.
        var (officer, officerPassword) = fixture.NewUser(Role.PrivacyOfficer, "none");
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(officer, officerPassword);
            await s.Go("/audit");
            Assert.Contains("未確認", await s.Page.InnerTextAsync(".break-glass-alert"), StringComparison.Ordinal);
            var row = s.Page.Locator($"tr.break-glass-use[data-grant=\"{grant.GrantId}\"]");
            Assert.Contains("保護者に連絡がつかない", await row.InnerTextAsync(), StringComparison.Ordinal);
            await row.Locator("input[name=note]").FillAsync("学校長に事実を確認し、閲覧は必要な範囲だった");
            await row.Locator("button[type=submit]").ClickAsync();
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("確認済み", await s.Page.Locator($"tr.break-glass-use[data-grant=\"{grant.GrantId}\"]").InnerTextAsync(), StringComparison.Ordinal);
            s.AssertStayedLocal();
        }

        var reviewed = new BreakGlassGrants(fixture.Database).Find(grant.GrantId)!;
        Assert.Equal((officer, "学校長に事実を確認し、閲覧は必要な範囲だった"), (reviewed.ReviewedBy, reviewed.ReviewNote));
        Assert.Contains(fixture.Audit.ReadAll(), e => e.User == officer && e.Action == AuditAction.Review && e.Subject == "break_glass:" + grant.GrantId && e.Outcome == "reviewed");
    }

    [Fact]
    public async Task AnExpiredGrant_OpensNothing_AndACityWideUserHasNoBreakGlass()
    {
        var (nurse, password) = fixture.NewUser(Role.HealthNurse, "own_cases");
        new BreakGlassGrants(fixture.Database).Grant(nurse, Role.HealthNurse, "保健センター", TestData.Shota, "期限切れになった緊急時の閲覧", DateTimeOffset.UtcNow.AddHours(-5), TimeSpan.FromHours(4));
        using var client = fixture.Client();
        var login = await client.PostAsync("/api/login", new StringContent(System.Text.Json.JsonSerializer.Serialize(new { user = nurse, password }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/children/{TestData.Shota}")).StatusCode);

        using var caseworker = await AuthzSession.SignIn(fixture, Role.Caseworker);
        var token = await CampaignTestData.Token(caseworker, "/logout");
        Assert.Equal(HttpStatusCode.Forbidden, (await CampaignTestData.Post(caseworker, $"/children/{TestData.Shota}/break-glass", token, ("reason", "全域の担当者には不要な手続き"))).StatusCode);
    }
}
