using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Outreach;

namespace Mimamori.Web.Tests;

[Collection(WebGroup.Name)]
public sealed class CampaignTests(WebFixture fixture)
{
    private async Task<HttpClient> SignedIn(string role)
    {
        var (user, password) = fixture.NewUser(role);
        var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Add("X-Test-User", user);
        return client;
    }

    private static string UserOf(HttpClient client) => client.DefaultRequestHeaders.GetValues("X-Test-User").Single();

    [Fact]
    public async Task DryRun_SaysWhichProgramsTheDataCannotDecide_AndWhy()
    {
        var open = CampaignTestData.DraftOf(fixture, "sango_care", ("H0001", TestData.Shota));
        var decided = CampaignTestData.DraftOf(fixture, "jido_fuyo", ("H0002", TestData.Misaki));
        using var supervisor = await SignedIn("supervisor");
        var page = await supervisor.GetStringAsync($"/campaigns/{open}");
        Assert.Contains("データだけでは対象かどうか決まらない制度", page, StringComparison.Ordinal);
        Assert.Contains("data-program=\"sango_care\"", page, StringComparison.Ordinal);
        Assert.Contains("お母さんの希望と体調", page, StringComparison.Ordinal);
        Assert.Contains("産後ケアのご案内", page, StringComparison.Ordinal);
        Assert.DoesNotContain("データだけでは対象かどうか決まらない制度", await supervisor.GetStringAsync($"/campaigns/{decided}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_ShowsWhoReceivesWhat_ACaseworkerCannotApprove_ASupervisorCan()
    {
        var campaign = CampaignTestData.Draft(fixture, ("H0001", TestData.Shota), ("H0002", TestData.Misaki), ("H0003", TestData.ScriptChild));
        using var caseworker = await SignedIn("caseworker");
        var page = await caseworker.GetStringAsync($"/campaigns/{campaign}");
        Assert.Contains("山田 太郎", page, StringComparison.Ordinal); // the oldest member is the addressee
        Assert.Contains("見守り市本町1-2-3", page, StringComparison.Ordinal);
        Assert.Contains("やさしい日本語", page, StringComparison.Ordinal);
        Assert.Contains("4242", page, StringComparison.Ordinal);
        Assert.Contains("統括の承認が必要", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/approve", page, StringComparison.Ordinal);

        // Each household listed is one audited disclosure of name and address.
        var listed = fixture.Audit.Query(new AuditQuery(null, UserOf(caseworker), null, null));
        Assert.Equal(["household:H0001", "household:H0002", "household:H0003"], listed.Where(e => e.Subject.StartsWith("household:", StringComparison.Ordinal)).Select(e => e.Subject).Order(StringComparer.Ordinal));

        var token = await CampaignTestData.Token(caseworker, $"/campaigns/{campaign}");
        var refused = await CampaignTestData.Post(caseworker, $"/campaigns/{campaign}/approve", token, []);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(MessageState.Draft, new CampaignStore(fixture.Database).Find(campaign)!.State);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"campaign:{campaign}", UserOf(caseworker), null, null)), e => e.Action == "approve" && e.Outcome == "denied");

        using var supervisor = await SignedIn("supervisor");
        var supervisorToken = await CampaignTestData.Token(supervisor, $"/campaigns/{campaign}");
        Assert.Contains($"/campaigns/{campaign}/approve", await supervisor.GetStringAsync($"/campaigns/{campaign}"), StringComparison.Ordinal);
        var approved = await CampaignTestData.Post(supervisor, $"/campaigns/{campaign}/approve", supervisorToken, []);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var stored = new CampaignStore(fixture.Database).Find(campaign)!;
        Assert.Equal(MessageState.Approved, stored.State);
        Assert.Equal(UserOf(supervisor), stored.ApprovedBy);
        Assert.Equal(3, stored.Messages[MessageState.Approved]);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"campaign:{campaign}", UserOf(supervisor), null, null)), e => e.Action == "approve" && e.Outcome == "approved:3");

        // Approved once: a second approval changes nothing.
        var again = await CampaignTestData.Post(supervisor, $"/campaigns/{campaign}/approve", supervisorToken, []);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(UserOf(supervisor), new CampaignStore(fixture.Database).Find(campaign)!.ApprovedBy);
    }

    [Fact]
    public async Task OtherRoles_SeeNoCampaign()
    {
        var campaign = CampaignTestData.Draft(fixture, ("H0001", TestData.Shota));
        foreach (var role in new[] { "school_staff", "health_nurse", "privacy_officer", "partner" })
        {
            using var client = await SignedIn(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/campaigns")).StatusCode);
            var response = await client.GetAsync($"/campaigns/{campaign}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("山田", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var anonymous = fixture.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/campaigns/{campaign}")).StatusCode);
    }

    [Fact]
    public async Task Results_ShowUptakePerWordingWithWilsonIntervals()
    {
        var households = new[] { ("H0001", TestData.Shota), ("H0002", TestData.Misaki), ("H0003", TestData.ScriptChild) };
        var campaign = CampaignTestData.Draft(fixture, households);
        var store = new CampaignStore(fixture.Database);
        store.Approve(campaign, "supervisor", CampaignTestData.Now);
        var inbox = new InboxStore(fixture.Database);
        foreach (var m in store.Messages(campaign))
        {
            store.MarkDelivery(m.MessageId, "letter", MessageState.Sent, CampaignTestData.Now);
            if (m.HouseholdNo == "H0001")
            {
                Assert.True(inbox.Respond("H0001", m.MessageId, MessageResponse.Applied, CampaignTestData.Now));
            }
        }

        using var supervisor = await SignedIn("supervisor");
        var page = await supervisor.GetStringAsync($"/campaigns/{campaign}/results");
        Assert.Contains("data-variant=\"plain\"", page, StringComparison.Ordinal);
        Assert.Contains("100.0%", page, StringComparison.Ordinal); // 1 of 1 applied with the plain wording
        Assert.Contains("20.7% – 100.0%", page, StringComparison.Ordinal); // Wilson for 1/1
        Assert.Contains("0.0% – 79.3%", page, StringComparison.Ordinal); // Wilson for 0/1
        Assert.Contains("Wilson", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browser_SupervisorApproves_ThenTheFamilyAnswersInItsInbox()
    {
        var campaign = CampaignTestData.Draft(fixture, ("H0002", TestData.Misaki));
        var (user, password) = fixture.NewUser("supervisor");
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(user, password);
            await s.Go("/campaigns");
            await s.Page.ClickAsync($"a[href='/campaigns/{campaign}']");
            Assert.Contains("佐藤", await s.Page.InnerTextAsync("table.messages"), StringComparison.Ordinal);
            await s.Page.ClickAsync("form.approve button");
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("承認済み", await s.Page.InnerTextAsync("dd.state"), StringComparison.Ordinal);
            Assert.Empty(s.Dialogs);
            s.AssertStayedLocal();
        }

        var store = new CampaignStore(fixture.Database);
        var message = store.Messages(campaign).Single();
        store.MarkDelivery(message.MessageId, "letter", MessageState.Sent, CampaignTestData.Now);
        var code = new InboxStore(fixture.Database).IssueCode("H0002", message.MessageId, CampaignTestData.Now);

        await using var family = await BrowserSession.Open(fixture);
        await family.Go("/inbox");
        await family.Page.FillAsync("input[name=code]", code);
        await family.Page.ClickAsync("form.inbox-code button");
        await family.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await family.Page.ClickAsync($"a[href='/inbox/messages/{message.MessageId}']");
        Assert.Contains("給食費", await family.Page.InnerTextAsync("article"), StringComparison.Ordinal);
        await family.Page.ClickAsync("button[value=applied]");
        await family.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("受け付けました", await family.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Empty(family.Dialogs);
        family.AssertStayedLocal();
        Assert.Equal(MessageResponse.Applied, store.Messages(campaign).Single().Response);
    }
}
