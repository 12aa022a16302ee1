using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.People;

namespace Mimamori.Web.Tests;

[Collection(WebGroup.Name)]
public sealed class HttpTests(WebFixture fixture)
{
    private async Task<HttpClient> SignedIn(string user, string? password = null)
    {
        var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password = password ?? fixture.Accounts[user].Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task ApiLogin_ThenWorklist_ReturnsChildrenWithReasons()
    {
        using var client = fixture.Client();
        var login = await client.PostAsJsonAsync("/api/login", new { user = "caseworker", password = fixture.Accounts["caseworker"].Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebApp.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("caseworker", (await Json(login)).GetProperty("role").GetString());

        var worklist = await Json(await client.GetAsync("/api/worklist"));
        Assert.Equal(3, worklist.GetProperty("total").GetInt64());
        var first = worklist.GetProperty("rows")[0];
        Assert.Equal(TestData.Shota, first.GetProperty("personId").GetInt64());
        Assert.Equal("山田 翔太", first.GetProperty("name").GetString());
        Assert.Equal("high", first.GetProperty("needs")[0].GetProperty("band").GetString());
        Assert.True(first.GetProperty("needs")[1].GetProperty("masked").GetBoolean());
        var reasons = first.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Contains(reasons, r => r.GetProperty("text").GetString() == "この1年の欠席が30日以上");
        Assert.Contains(reasons, r => r.GetProperty("masked").GetBoolean() && r.GetProperty("text").GetString() == "＊＊＊");

        var filtered = await Json(await client.GetAsync("/api/worklist?difficulty=abuse_neglect"));
        Assert.Equal(TestData.Misaki, Assert.Single(filtered.GetProperty("rows").EnumerateArray()).GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task ApiChild_ReturnsEvidenceAndSources_AndMasksTax()
    {
        using var client = await SignedIn("caseworker");
        var child = await Json(await client.GetAsync($"/api/children/{TestData.Shota}"));
        Assert.Equal("見守り市本町1-2-3", child.GetProperty("person").GetProperty("address").GetString());
        var needs = child.GetProperty("needs").EnumerateArray().ToList();
        var futoko = needs.Single(n => n.GetProperty("difficulty").GetString() == "futoko");
        Assert.Equal(104, futoko.GetProperty("reasons")[0].GetProperty("evidence")[0].GetProperty("recordId").GetInt64());
        Assert.Equal("medical", futoko.GetProperty("missing")[0].GetString());
        // The poverty need rests only on tax data without consent: neither named nor banded.
        Assert.DoesNotContain(needs, n => n.GetProperty("difficulty").GetString() == "poverty");
        Assert.Contains(needs, n => n.GetProperty("masked").GetBoolean() && n.GetProperty("difficulty").GetString() == "＊＊＊");
        var record = child.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("recordId").GetInt64() == 104);
        Assert.Equal("shukketsu_2025-10.csv", record.GetProperty("file").GetString());
        Assert.Equal(3, record.GetProperty("line").GetInt64());
        Assert.Equal("20", record.GetProperty("original").GetProperty("欠席日数").GetString());
    }

    [Fact]
    public async Task HealthNurse_SeesHealthAndResident_EducationWithheld()
    {
        using var client = await SignedIn("health_nurse");
        var child = await Json(await client.GetAsync($"/api/children/{TestData.Shota}"));
        Assert.Equal("＊＊＊", child.GetProperty("person").GetProperty("school").GetString());
        Assert.Equal("見守り市本町1-2-3", child.GetProperty("person").GetProperty("address").GetString());
        Assert.Contains("education", child.GetProperty("withheldCategories").EnumerateArray().Select(c => c.GetString()));
        Assert.All(child.GetProperty("timeline").EnumerateArray(), f => Assert.NotEqual("education", f.GetProperty("category").GetString()));
        Assert.Contains(child.GetProperty("timeline").EnumerateArray(), f => f.GetProperty("kind").GetString() == "health.checkup_attended");
    }

    [Theory]
    [InlineData("partner")]
    [InlineData("administrator")]
    [InlineData("privacy_officer")]
    public async Task RolesWithoutCasework_GetNoChildData(string role)
    {
        using var client = await SignedIn(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/worklist")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/children/{TestData.Shota}")).StatusCode);
        var denied = fixture.Audit.Query(new AuditQuery(Subject: $"person:{TestData.Shota}", User: role));
        Assert.Contains(denied, e => e.Outcome == "denied" && e.Action == AuditAction.View);
    }

    [Fact]
    public async Task ApiAudit_IsForThePrivacyOfficerOnly_AndTheChainIsIntact()
    {
        using var caseworker = await SignedIn("caseworker");
        await caseworker.GetAsync($"/api/children/{TestData.ScriptChild}");
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.GetAsync("/api/audit")).StatusCode);

        using var officer = await SignedIn("privacy_officer");
        var trail = await Json(await officer.GetAsync($"/api/audit?subject=person:{TestData.ScriptChild}"));
        Assert.True(trail.GetProperty("chainIntact").GetBoolean());
        Assert.Contains(trail.GetProperty("events").EnumerateArray(), e => e.GetProperty("user").GetString() == "caseworker" && e.GetProperty("action").GetString() == "view");
        Assert.Null(fixture.Audit.Verify());
    }

    [Fact]
    public async Task Unauthenticated_Api_Is401_AndPagesRedirectToLogin()
    {
        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/worklist")).StatusCode);
        var page = await client.GetAsync($"/children/{TestData.Shota}");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiLogin_WrongPassword_Is401_AndAudited()
    {
        var (user, _) = fixture.NewUser("caseworker");
        using var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("failure", Assert.Single(fixture.Audit.Query(new AuditQuery(User: user))).Outcome);
    }

    [Fact]
    public async Task Lockout_AfterFiveFailures_EvenTheRightPasswordIsRefused()
    {
        var (user, password) = fixture.NewUser("caseworker");
        using var client = fixture.Client();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/login", new { user, password = "guess" + i })).StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("locked", (await Json(refused)).GetProperty("error").GetString());
        var outcomes = fixture.Audit.Query(new AuditQuery(User: user)).OrderBy(e => e.Seq).Select(e => e.Outcome).ToList();
        Assert.Equal(["failure", "failure", "failure", "failure", "locked", "locked"], outcomes);
    }

    [Fact]
    public void Lockout_EndsAfterFifteenMinutes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 11, 28, 1, 0, 0, TimeSpan.Zero));
        var store = new UserStore(fixture.Database, clock);
        var (user, password) = fixture.NewUser("caseworker");
        for (var i = 0; i < UserStore.MaxFailures; i++)
        {
            store.Authenticate(user, "wrong");
        }

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(LoginOutcome.LockedOut, store.Authenticate(user, password).Outcome);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(LoginOutcome.Success, store.Authenticate(user, password).Outcome);
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_IsRejected()
    {
        var (user, password) = fixture.NewUser("caseworker");
        using var client = fixture.Client();
        await client.GetAsync("/login");
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = password }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(fixture.Audit.Query(new AuditQuery(User: user)));

        using var signedIn = await SignedIn(user, password);
        var logout = await signedIn.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
    }

    [Fact]
    public async Task EveryResponse_CarriesSecurityHeaders()
    {
        using var client = fixture.Client();
        foreach (var path in new[] { "/login", "/api/worklist", "/assets/site.css", "/healthz" })
        {
            var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task OpenApiDocument_ParsesAndListsEveryApiPath()
    {
        using var client = fixture.Client();
        var doc = await Json(await client.GetAsync("/openapi/v1.json"));
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["/api/audit", "/api/casework/overdue", "/api/children/{id}", "/api/login", "/api/referrals", "/api/worklist", "/worklist/export.xlsx"], paths.Order(StringComparer.Ordinal));
        Assert.True(doc.GetProperty("paths").GetProperty("/api/login").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task Healthz_ReportsTheDatabase()
    {
        using var client = fixture.Client();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reachable", (await Json(response)).GetProperty("database").GetString());
    }

    [Fact]
    public void DemoAccounts_HaveRandomPasswords_AndReseedingReplacesThem()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mimamori-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var db = MimamoriDatabase.FromSetting(Path.Combine(dir, "seed.db"));
            db.Migrate();
            var first = DemoAccounts.Seed(db, "第三中学校");
            var second = DemoAccounts.Seed(db, "第三中学校");
            Assert.Equal(AccessPolicy.Default.Roles.Select(r => r.Id).Order(), first.Select(a => a.Role).Distinct().Order());
            Assert.Equal("own_cases", first.Single(a => a.User == DemoAccounts.OwnCasesUser).Scope);
            Assert.Equal(first.Count, first.Select(a => a.Password).Distinct().Count());
            Assert.All(first.Zip(second), p => Assert.NotEqual(p.First.Password, p.Second.Password));
            Assert.Equal("own_school:第三中学校", first.Single(a => a.Role == Role.SchoolStaff).Scope);

            var store = new UserStore(db, TimeProvider.System);
            Assert.Equal(LoginOutcome.WrongPassword, store.Authenticate("caseworker", first[0].Password).Outcome);
            Assert.Equal(LoginOutcome.Success, store.Authenticate("caseworker", second.Single(a => a.User == "caseworker").Password).Outcome);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
