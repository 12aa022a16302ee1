using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Casework;

namespace Mimamori.Web.Tests;

/// <summary>Referrals between organisations: sent from the child page, answered in the receiver's inbox; outside partners only with consent.</summary>
[Collection(WebGroup.Name)]
public sealed class ReferralTests(WebFixture fixture)
{
    private const string Centre = "こども家庭センター";
    private const string Health = "保健センター";

    [Fact]
    public async Task Browser_CaseworkerSendsAReferral_TheHealthCentreAcceptsItInItsInbox()
    {
        var (sender, senderPassword) = fixture.NewUser("caseworker", "all", Centre);
        var reason = "乳幼児期の健診記録の確認と家庭訪問の依頼 " + Guid.NewGuid().ToString("N")[..6];
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(sender, senderPassword);
            await s.Go($"/children/{TestData.Misaki}");
            await s.Page.SelectOptionAsync("form.referral-form select[name=to]", Health);
            await s.Page.CheckAsync("form.referral-form input[name=fields][value=birth_date]");
            await s.Page.FillAsync("form.referral-form textarea[name=reason]", reason);
            await s.Page.ClickAsync("form.referral-form button[type=submit]");
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains(reason, await s.Page.InnerTextAsync("#referrals table.referrals"), StringComparison.Ordinal);
            s.AssertStayedLocal();
        }

        var referral = new ReferralStore(fixture.Database).ReferralsOf(TestData.Misaki).Single(r => r.Reason == reason);
        Assert.Equal((Centre, Health, ReferralStatus.Sent), (referral.FromOrg, referral.ToOrg, referral.Status));
        Assert.Equal(["birth_date", "name"], referral.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("佐藤 美咲（サトウ ミサキ）", referral.Fields[ReferralField.Name]);
        var disclosed = fixture.Audit.Query(new AuditQuery($"person:{TestData.Misaki}", sender, null, null)).Single(e => e.Action == "disclose");
        Assert.Equal($"disclosed:referral:{referral.ReferralId}:to:{Health}", disclosed.Outcome);
        Assert.Equal(["birth_date", "name"], disclosed.Fields.Order(StringComparer.Ordinal));

        var (nurse, nursePassword) = fixture.NewUser("health_nurse", "own_department", Health);
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(nurse, nursePassword);
            var unanswered = new ReferralStore(fixture.Database).Unanswered(Health);
            Assert.Equal(unanswered.ToString(System.Globalization.CultureInfo.InvariantCulture), await s.Page.InnerTextAsync("header nav .referral-alert"));
            await s.Page.ClickAsync("header nav >> text=連携・紹介");
            await s.Page.WaitForURLAsync("**/referrals");
            var row = s.Page.Locator($"tr[data-referral=\"{referral.ReferralId}\"]");
            Assert.Contains("2012-03-03", await row.InnerTextAsync(), StringComparison.Ordinal);
            await row.Locator("input[name=reason]").FillAsync("4月中に家庭訪問します");
            await row.Locator("button[value=accept]").ClickAsync();
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("受理", await s.Page.Locator($"tr[data-referral=\"{referral.ReferralId}\"] td.state").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(unanswered - 1, new ReferralStore(fixture.Database).Unanswered(Health));
        }

        var answered = new ReferralStore(fixture.Database).Find(referral.ReferralId)!;
        Assert.Equal((ReferralStatus.Accepted, nurse, "4月中に家庭訪問します"), (answered.Status, answered.AnsweredBy, answered.AnswerReason));
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{TestData.Misaki}", nurse, null, null)), e => e.Action == "change" && e.Outcome == $"accepted:referral:{referral.ReferralId}");
    }

    [Fact]
    public async Task ReferralToAPartner_IsRefusedWithoutConsent_SentWithIt_AndRefusedAgainOnceWithdrawn()
    {
        var partner = Agencies.Partners[1].Name;
        var (user, password) = fixture.NewUser("caseworker", "all", Centre);
        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        var token = await CampaignTestData.Token(client, $"/children/{TestData.Ichiro}");
        var store = new ReferralStore(fixture.Database);
        var before = store.ReferralsOf(TestData.Ichiro).Count;

        var refused = await CampaignTestData.Post(client, $"/children/{TestData.Ichiro}/referrals", token, ("to", partner), ("fields", "name"), ("reason", "学習支援教室の案内"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("同意", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, store.ReferralsOf(TestData.Ichiro).Count);

        // Staff record who consented to what.
        var recorded = await CampaignTestData.Post(client, $"/children/{TestData.Ichiro}/consents", token, ("partner", partner), ("purpose", "学習支援の利用"), ("fields", "name"), ("fields", "school"), ("given_by", "父 鈴木"), ("given_on", "2025-11-20"));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var consent = store.ConsentsOf(TestData.Ichiro)[0];
        Assert.Equal((partner, "父 鈴木", user, true), (consent.Partner, consent.GivenBy, consent.RecordedBy, consent.InForce));
        var cid = consent.ConsentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A field beyond the consent is still refused; within it, the referral goes.
        var tooMuch = await CampaignTestData.Post(client, $"/children/{TestData.Ichiro}/referrals", token, ("to", partner), ("fields", "name"), ("fields", "address"), ("consent", cid), ("reason", "学習支援教室の案内"));
        Assert.Equal(HttpStatusCode.Forbidden, tooMuch.StatusCode);
        var sent = await CampaignTestData.Post(client, $"/children/{TestData.Ichiro}/referrals", token, ("to", partner), ("fields", "name"), ("consent", cid), ("reason", "学習支援教室の案内"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var referral = store.ReferralsOf(TestData.Ichiro)[0];
        Assert.Equal((partner, consent.ConsentId, 1), (referral.ToOrg, referral.ConsentId, referral.Fields.Count));

        // The partner sees exactly what was sent, nothing else.
        var (partnerUser, partnerPassword) = fixture.NewUser("partner", "none", partner);
        using (var partnerClient = fixture.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await partnerClient.PostAsJsonAsync("/api/login", new { user = partnerUser, password = partnerPassword })).StatusCode);
            var inbox = await partnerClient.GetFromJsonAsync<JsonElement>("/api/referrals");
            var item = inbox.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("referralId").GetInt64() == referral.ReferralId);
            Assert.Equal(["name"], item.GetProperty("fields").EnumerateObject().Select(p => p.Name));
            Assert.Equal(HttpStatusCode.Forbidden, (await partnerClient.GetAsync($"/children/{TestData.Ichiro}")).StatusCode);
        }

        var withdraw = await CampaignTestData.Post(client, $"/consents/{cid}/withdraw", token, ("reason", "父から撤回の申出"));
        Assert.Equal(HttpStatusCode.Redirect, withdraw.StatusCode);
        Assert.False(store.FindConsent(consent.ConsentId)!.InForce);
        var again = await CampaignTestData.Post(client, $"/children/{TestData.Ichiro}/referrals", token, ("to", partner), ("fields", "name"), ("consent", cid), ("reason", "再度の案内"));
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal(before + 1, store.ReferralsOf(TestData.Ichiro).Count);

        var events = fixture.Audit.Query(new AuditQuery($"person:{TestData.Ichiro}", user, null, null));
        Assert.Equal(3, events.Count(e => e.Action == "disclose" && e.Outcome == $"refused:no_consent:to:{partner}"));
        Assert.Single(events, e => e.Action == "disclose" && e.Outcome == $"disclosed:referral:{referral.ReferralId}:to:{partner}:consent:{cid}");
        Assert.Contains(events, e => e.Outcome == $"withdrawn:consent:{cid}");
    }

    [Fact]
    public async Task SchoolStaff_MayNotSendReferrals_AndCannotAnswerAnotherOrganisationsReferral()
    {
        var (teacher, password) = fixture.NewUser("school_staff", "own_school:" + TestData.SchoolA, TestData.SchoolA);
        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user = teacher, password })).StatusCode);
        var token = await CampaignTestData.Token(client, $"/children/{TestData.Shota}");
        var refused = await CampaignTestData.Post(client, $"/children/{TestData.Shota}/referrals", token, ("to", Health), ("fields", "name"), ("reason", "x"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var other = new ReferralStore(fixture.Database).Send(new NewReferral(TestData.Shota, "H0001", Centre, "caseworker", Agencies.Of(Health, []), "健診の確認", new Dictionary<string, string> { ["name"] = "山田 翔太" }, null), DateTimeOffset.UtcNow);
        var answer = await CampaignTestData.Post(client, $"/referrals/{other.ReferralId}/answer", token, ("answer", "decline"), ("reason", "x"));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal(ReferralStatus.Sent, new ReferralStore(fixture.Database).Find(other.ReferralId)!.Status);
        var events = fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", teacher, null, null));
        Assert.Contains(events, e => e.Action == "disclose" && e.Outcome == "denied");
        Assert.Contains(events, e => e.Action == "change" && e.Outcome == "not_found_or_not_addressee");
    }
}
