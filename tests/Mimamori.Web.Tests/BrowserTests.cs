using Microsoft.Playwright;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;

namespace Mimamori.Web.Tests;

[Collection(WebGroup.Name)]
public sealed class BrowserTests(WebFixture fixture)
{
    private const string CaseworkerUser = "caseworker";

    [Fact]
    public async Task Caseworker_Worklist_ShowsChildrenWithBandsAndReasonsInWords()
    {
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(CaseworkerUser, fixture.Accounts[CaseworkerUser].Password);

        Assert.Equal("見守りリスト", await s.Page.InnerTextAsync("h1"));
        var rows = s.Page.Locator("table.worklist tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        var text = string.Join("\n", await rows.AllInnerTextsAsync());
        Assert.Contains("山田 翔太", text, StringComparison.Ordinal);
        Assert.Contains("佐藤 美咲", text, StringComparison.Ordinal);
        Assert.Contains(TestData.ScriptName + " 次郎", text, StringComparison.Ordinal);
        Assert.DoesNotContain("鈴木", text, StringComparison.Ordinal);

        var shota = s.Page.Locator($"tr[data-person='{TestData.Shota}']");
        var shotaText = await shota.InnerTextAsync();
        Assert.Contains("不登校・不登校傾向", shotaText, StringComparison.Ordinal);
        Assert.Contains("強いサインが重なっています", shotaText, StringComparison.Ordinal);
        Assert.Contains("この1年の欠席が30日以上", shotaText, StringComparison.Ordinal);
        Assert.Contains(TestData.SchoolA, shotaText, StringComparison.Ordinal);
        // The poverty reason rests on tax data, which needs consent (地方税法22条): masked with a note, not hidden.
        Assert.Contains("＊＊＊", shotaText, StringComparison.Ordinal);
        Assert.DoesNotContain("住民税非課税", shotaText, StringComparison.Ordinal);
        Assert.DoesNotContain("経済的困窮", shotaText, StringComparison.Ordinal);
        Assert.DoesNotContain("%", await s.Page.InnerTextAsync("table.worklist"), StringComparison.Ordinal);
        Assert.Equal(TestData.Shota.ToString(System.Globalization.CultureInfo.InvariantCulture), await rows.First.GetAttributeAsync("data-person"));

        await s.Go("/?lang=en");
        Assert.Equal("Watch list", await s.Page.InnerTextAsync("h1"));
        s.AssertStayedLocal();
    }

    [Fact]
    public async Task Caseworker_ChildPage_ShowsHouseholdEvidenceWarekiAndSources_AndIsAuditedExactly()
    {
        var (user, password) = fixture.NewUser("caseworker");
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(user, password);
        await s.Page.ClickAsync("text=山田 翔太");
        await s.Page.WaitForURLAsync($"**/children/{TestData.Shota}");

        Assert.Equal("山田 翔太", await s.Page.InnerTextAsync("h1"));
        Assert.Contains("平成27年6月10日", await s.Page.InnerTextAsync("td.birth"), StringComparison.Ordinal);
        var household = await s.Page.InnerTextAsync("#household");
        Assert.Contains("山田 花子", household, StringComparison.Ordinal);
        Assert.Contains("妻", household, StringComparison.Ordinal);
        Assert.Contains("世帯主", household, StringComparison.Ordinal);

        var history = await s.Page.InnerTextAsync("#household-history");
        Assert.Contains("世帯番号 H0009（孫）: 平成27年6月10日 ～ 令和2年4月1日 別世帯へ", history, StringComparison.Ordinal);
        Assert.Contains("世帯番号 H0001（子）: 令和2年4月1日 ～ 現在（現世帯）", history, StringComparison.Ordinal);
        Assert.Contains("保護者", history, StringComparison.Ordinal);
        Assert.Equal(3, await s.Page.Locator("#household-history tbody tr").CountAsync());

        var needs = await s.Page.InnerTextAsync("#needs");
        Assert.Contains("この1年の欠席が30日以上", needs, StringComparison.Ordinal);
        Assert.Contains("令和7年10月31日: 20", needs, StringComparison.Ordinal);
        Assert.Contains("データなし: 医療", needs, StringComparison.Ordinal);

        var timeline = await s.Page.InnerTextAsync("#timeline");
        Assert.Contains("令和7年10月31日", timeline, StringComparison.Ordinal);
        Assert.Contains("平成30年7月5日", timeline, StringComparison.Ordinal);
        Assert.Contains("欠席日数", timeline, StringComparison.Ordinal);

        var records = await s.Page.InnerTextAsync("#records");
        Assert.Contains("school_attendance", records, StringComparison.Ordinal);
        Assert.Contains("shukketsu_2025-10.csv:3", records, StringComparison.Ordinal);
        Assert.Contains("欠席日数", records, StringComparison.Ordinal);
        // The tax record is linked to the father, not the child; the child's own records are all non-tax.
        Assert.DoesNotContain("kazei_2025.csv", records, StringComparison.Ordinal);

        var events = fixture.Audit.Query(new AuditQuery(User: user));
        Assert.Equal([$"person:{TestData.Shota}"], events.Where(e => e.Action == AuditAction.View).Select(e => e.Subject));
        Assert.Equal(
            new[] { TestData.Shota, TestData.Misaki, TestData.ScriptChild }.Select(id => $"person:{id}").Order(),
            events.Where(e => e.Action == AuditAction.Search).Select(e => e.Subject).Order());
        var view = events.Single(e => e.Action == AuditAction.View);
        Assert.Equal("early_support", view.Purpose);
        Assert.Equal("allowed", view.Outcome);
        Assert.Equal("127.0.0.1", view.Client);
        Assert.Contains("education", view.Categories);
        Assert.DoesNotContain("tax", view.Categories);
        Assert.Single(events, e => e.Action == AuditAction.Login && e.Outcome == "success");
        Assert.Null(fixture.Audit.Verify());
        s.AssertStayedLocal();
    }

    [Fact]
    public async Task SchoolStaff_SeesOnlyOwnSchoolPupils_AndEducationOnly()
    {
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn("school_staff", fixture.Accounts["school_staff"].Password);

        var rows = await s.Page.Locator("table.worklist tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("山田 翔太", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(TestData.ScriptName, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("佐藤", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("経済的困窮", StringComparison.Ordinal));

        await s.Go($"/children/{TestData.Shota}");
        Assert.Contains(TestData.SchoolA, await s.Page.InnerTextAsync("td.school"), StringComparison.Ordinal);
        Assert.Contains("＊＊＊", await s.Page.InnerTextAsync("#household"), StringComparison.Ordinal);
        Assert.DoesNotContain("山田 花子", await s.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains("母子保健・健康", await s.Page.InnerTextAsync("#timeline"), StringComparison.Ordinal);
        Assert.DoesNotContain("平成30年7月5日", await s.Page.InnerTextAsync("#timeline"), StringComparison.Ordinal);

        var other = await s.Go($"/children/{TestData.Misaki}");
        Assert.Equal(404, other!.Status);
        Assert.DoesNotContain("美咲", await s.Page.ContentAsync(), StringComparison.Ordinal);
        s.AssertStayedLocal();
    }

    [Fact]
    public async Task WrongPassword_ShowsError_AndRecordsFailedLogin()
    {
        var (user, _) = fixture.NewUser("caseworker");
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(user, "not-the-password");

        Assert.Contains("ユーザー名またはパスワードが違います", await s.Page.InnerTextAsync("p.error"), StringComparison.Ordinal);
        Assert.EndsWith("/login", s.Page.Url, StringComparison.Ordinal);
        var login = Assert.Single(fixture.Audit.Query(new AuditQuery(User: user)));
        Assert.Equal(AuditAction.Login, login.Action);
        Assert.Equal("failure", login.Outcome);
        Assert.Equal("user:" + user, login.Subject);
    }

    [Fact]
    public async Task ScriptName_IsShownAsText_NeverRun()
    {
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(CaseworkerUser, fixture.Accounts[CaseworkerUser].Password);

        var link = s.Page.Locator($"tr[data-person='{TestData.ScriptChild}'] a");
        Assert.Equal(TestData.ScriptName + " 次郎", await link.InnerTextAsync());
        await link.ClickAsync();
        await s.Page.WaitForURLAsync($"**/children/{TestData.ScriptChild}");
        Assert.Equal(TestData.ScriptName + " 次郎", await s.Page.InnerTextAsync("h1"));
        Assert.Equal(0, await s.Page.Locator("main script").CountAsync());
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", await s.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(s.Dialogs);
        s.AssertStayedLocal();
    }

    [Fact]
    public async Task PrivacyOfficer_AuditPage_ShowsWhoLookedAtAChildAndWhy()
    {
        await using (var caseworker = await BrowserSession.Open(fixture))
        {
            await caseworker.LogIn(CaseworkerUser, fixture.Accounts[CaseworkerUser].Password);
            await caseworker.Go($"/children/{TestData.Misaki}");
        }

        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn("privacy_officer", fixture.Accounts["privacy_officer"].Password);
        Assert.Equal("アクセス記録", await s.Page.InnerTextAsync("h1"));
        await s.Page.FillAsync("input[name=subject]", TestData.Misaki.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await s.Page.ClickAsync("form.filters button");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("改ざん検知: 正常", await s.Page.InnerTextAsync("p.chain"), StringComparison.Ordinal);
        var rows = await s.Page.Locator("tr.audit-event").AllInnerTextsAsync();
        Assert.Contains(rows, r => r.Contains(CaseworkerUser, StringComparison.Ordinal) && r.Contains("view", StringComparison.Ordinal) && r.Contains("支援が必要なこどもの早期発見", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains($"person:{TestData.Misaki}", r, StringComparison.Ordinal));

        var worklist = await s.Go("/");
        Assert.Equal(403, worklist!.Status);
        s.AssertStayedLocal();
    }
}
