using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Judgement;

namespace Mimamori.Web.Tests;

/// <summary>Recording decisions about flagged children, meetings, and re-displaying a past decision exactly as it was seen.</summary>
[Collection(WebGroup.Name)]
public sealed class JudgementTests(WebFixture fixture)
{
    private async Task<(HttpClient Client, string User)> SignedIn(string role, string scope = "all")
    {
        var (user, password) = fixture.NewUser(role, scope);
        var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (client, user);
    }

    [Fact]
    public async Task Caseworker_RecordsADecision_ItIsAuditedFrozenAndFiltersTheWorklist()
    {
        var (client, user) = await SignedIn("caseworker");
        var page = await client.GetStringAsync($"/children/{TestData.Misaki}");
        Assert.Contains($"action=\"/children/{TestData.Misaki}/judgements\"", page, StringComparison.Ordinal);
        var token = await CampaignTestData.Token(client, $"/children/{TestData.Misaki}");

        // Bad input is refused with a reason and nothing is stored.
        var refused = await CampaignTestData.Post(client, $"/children/{TestData.Misaki}/judgements", token, ("decision", "watch"), ("reasons", "  "));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("理由を書いてください", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var before = new JudgementStore(fixture.Database).ForPerson(TestData.Misaki).Count;

        var posted = await CampaignTestData.Post(client, $"/children/{TestData.Misaki}/judgements", token, ("decision", "watch"), ("reasons", "通告後の家庭訪問で養育状況は安定。学校と連携して見守る"), ("overrides", "1"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var history = new JudgementStore(fixture.Database).ForPerson(TestData.Misaki);
        Assert.Equal(before + 1, history.Count);
        var recorded = history[0];
        Assert.Equal((Decision.Watch, user, true), (recorded.Decision, recorded.By.UserName, recorded.OverridesScore));
        var need = recorded.Snapshot.Needs.Single();
        Assert.Equal(("abuse_neglect", "medium", "rules-2026.1"), (need.Difficulty, need.Band, need.ModelVersion));
        Assert.Equal(204, need.Signals.Single().Evidence.Single().RecordId);

        var decide = fixture.Audit.Query(new AuditQuery($"person:{TestData.Misaki}", user, null, null)).Where(e => e.Action == "decide").ToList();
        Assert.Equal([$"recorded:judgement:{recorded.JudgementId}", "rejected"], decide.Select(e => e.Outcome).Order(StringComparer.Ordinal));
        Assert.All(decide, e => Assert.Equal("support_decision", e.Purpose));
        Assert.Contains("child_welfare", decide.Single(e => e.Outcome.StartsWith("recorded", StringComparison.Ordinal)).Categories);

        // Later data changes the live page, not the decision as it was seen.
        using (var c = fixture.Database.Open())
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE need_assessment SET band = 'high' WHERE person_id = {TestData.Misaki}";
            cmd.ExecuteNonQuery();
        }

        try
        {
            var past = await client.GetStringAsync($"/judgements/{recorded.JudgementId}");
            Assert.Contains("見守り（経過を見る）", past, StringComparison.Ordinal);
            Assert.Contains("band-medium", past, StringComparison.Ordinal);
            Assert.DoesNotContain("band-high", past, StringComparison.Ordinal);
            Assert.Contains("24か月以内に虐待通告がある", past, StringComparison.Ordinal);
            Assert.Contains("通告後の家庭訪問で", past, StringComparison.Ordinal);
        }
        finally
        {
            using var c = fixture.Database.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE need_assessment SET band = 'medium' WHERE person_id = {TestData.Misaki}";
            cmd.ExecuteNonQuery();
        }

        var watching = await client.GetFromJsonAsync<JsonElement>("/api/worklist?status=watching");
        Assert.Contains(watching.GetProperty("rows").EnumerateArray(), r => r.GetProperty("personId").GetInt64() == TestData.Misaki);
        var misaki = watching.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("personId").GetInt64() == TestData.Misaki);
        Assert.Equal("watch", misaki.GetProperty("judgement").GetProperty("decision").GetString());
        var undecided = await client.GetStringAsync("/?status=undecided");
        Assert.DoesNotContain($"data-person=\"{TestData.Misaki}\"", undecided, StringComparison.Ordinal);
        Assert.Contains($"data-person=\"{TestData.Shota}\"", undecided, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchoolStaff_MayNotDecide_AndTheRefusalIsAudited()
    {
        var (client, user) = await SignedIn("school_staff", "own_school:" + TestData.SchoolA);
        var page = await client.GetStringAsync($"/children/{TestData.Shota}");
        Assert.DoesNotContain("/judgements\"", page, StringComparison.Ordinal);
        var token = await CampaignTestData.Token(client, $"/children/{TestData.Shota}");
        var response = await CampaignTestData.Post(client, $"/children/{TestData.Shota}/judgements", token, ("decision", "not_needed"), ("reasons", "学校で対応"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", user, null, null)), e => e.Action == "decide" && e.Outcome == "denied");
        Assert.DoesNotContain(new JudgementStore(fixture.Database).ForPerson(TestData.Shota), j => j.By.UserName == user);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/judgements")).StatusCode);
    }

    [Fact]
    public async Task Browser_CaseworkerHoldsAMeeting_AddsAChild_AndRecordsTheDecisionInIt()
    {
        var (user, password) = fixture.NewUser("caseworker");
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(user, password);

        await s.Page.ClickAsync("header nav >> text=判定・会議");
        await s.Page.FillAsync("input[name=title]", "ブラウザ検証 ケース会議");
        await s.Page.FillAsync("textarea[name=attendees]", "統括 佐藤\n相談員 鈴木");
        await s.Page.ClickAsync("form.meeting-form button[type=submit]");
        await s.Page.WaitForURLAsync("**/judgements/meetings/*");
        Assert.Equal("ブラウザ検証 ケース会議", await s.Page.InnerTextAsync("h1"));
        var meetingUrl = s.Page.Url;

        await s.Go($"/children/{TestData.ScriptChild}");
        await s.Page.SelectOptionAsync("form.agenda-form select[name=meeting]", new SelectOptionValue { Label = await OptionLabel(s.Page, "ブラウザ検証 ケース会議") });
        await s.Page.ClickAsync("form.agenda-form button[type=submit]");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await s.Page.GotoAsync(meetingUrl);
        Assert.Contains("未判定", await s.Page.InnerTextAsync($"tr.agenda-item[data-person='{TestData.ScriptChild}']"), StringComparison.Ordinal);
        await s.Page.ClickAsync($"tr.agenda-item[data-person='{TestData.ScriptChild}'] a");
        await s.Page.WaitForURLAsync($"**/children/{TestData.ScriptChild}?meeting=*");

        // The meeting the child came from is preselected; the decision is taken in it.
        Assert.Contains("ブラウザ検証 ケース会議", await s.Page.Locator("form.judgement-form select[name=meeting] option:checked").InnerTextAsync(), StringComparison.Ordinal);
        await s.Page.CheckAsync("form.judgement-form input[value=refer]");
        await s.Page.FillAsync("form.judgement-form textarea[name=reasons]", "健診未受診が続く。保健センターへつなぐ <b>確認</b>");
        await s.Page.ClickAsync("form.judgement-form button[type=submit]");
        await s.Page.WaitForURLAsync($"**/children/{TestData.ScriptChild}#judgement");

        var current = s.Page.Locator("table.judgements tr.current");
        Assert.Contains("関係機関へつなぐ", await current.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("<b>確認</b>", await current.Locator("td.reasons").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("ブラウザ検証 ケース会議", await current.InnerTextAsync(), StringComparison.Ordinal);

        await s.Page.GotoAsync(meetingUrl);
        Assert.Contains("関係機関へつなぐ", await s.Page.InnerTextAsync($"tr.agenda-item[data-person='{TestData.ScriptChild}'] td.decision"), StringComparison.Ordinal);
        await s.Page.ClickAsync($"tr.agenda-item[data-person='{TestData.ScriptChild}'] td.decision a");
        await s.Page.WaitForURLAsync("**/judgements/*");
        Assert.Contains("健診", await s.Page.InnerTextAsync(".snapshot"), StringComparison.Ordinal);
        Assert.Empty(s.Dialogs);
        s.AssertStayedLocal();

        var events = fixture.Audit.Query(new AuditQuery(null, user, null, null));
        Assert.Contains(events, e => e.Action == "meeting" && e.Outcome == "created");
        Assert.Contains(events, e => e.Action == "meeting" && e.Subject == $"person:{TestData.ScriptChild}" && e.Outcome.StartsWith("added:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Action == "decide" && e.Subject == $"person:{TestData.ScriptChild}" && e.Outcome.StartsWith("recorded:", StringComparison.Ordinal));
    }

    private static async Task<string> OptionLabel(IPage page, string title) =>
        (await page.Locator("form.agenda-form select[name=meeting] option").AllInnerTextsAsync()).First(t => t.Contains(title, StringComparison.Ordinal));
}
