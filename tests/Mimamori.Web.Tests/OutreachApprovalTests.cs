using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Judgement;

namespace Mimamori.Web.Tests;

/// <summary>Approving an outreach offer with a support_needed decision, and withdrawing it, over HTTP with the audit trail.</summary>
[Collection(WebGroup.Name)]
public sealed class OutreachApprovalTests(WebFixture fixture)
{
    private const long Child = TestData.ScriptChild;

    private async Task<(HttpClient Client, string User)> SignedIn(string role, string scope = "all")
    {
        var (user, password) = fixture.NewUser(role, scope);
        var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (client, user);
    }

    [Fact]
    public async Task Caseworker_ApprovesAnOfferWithTheDecision_AndFromThePage_AndWithdrawsIt_AllAudited()
    {
        var (client, user) = await SignedIn("caseworker");
        var page = await client.GetStringAsync($"/children/{Child}");
        Assert.Contains("name=\"outreach_program\"", page, StringComparison.Ordinal);
        var token = await CampaignTestData.Token(client, $"/children/{Child}");
        var store = new OutreachApprovalStore(fixture.Database);
        var before = store.ForPerson(Child).Count;

        var decided = await CampaignTestData.Post(client, $"/children/{Child}/judgements", token, ("decision", "support_needed"), ("reasons", "家庭訪問で養育の負担が大きいことを確認"), ("outreach_program", "jido_fuyo"));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var judgement = new JudgementStore(fixture.Database).ForPerson(Child)[0];
        var first = store.ForPerson(Child)[0];
        Assert.Equal(before + 1, store.ForPerson(Child).Count);
        Assert.Equal(("jido_fuyo", judgement.JudgementId, user), (first.Program, first.JudgementId, first.ApprovedBy));

        // The child's page lists the approval and offers the form for another program.
        page = await client.GetStringAsync($"/children/{Child}");
        Assert.Contains($"data-approval=\"{first.ApprovalId}\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/children/{Child}/outreach-approvals\"", page, StringComparison.Ordinal);

        var approved = await CampaignTestData.Post(client, $"/children/{Child}/outreach-approvals", token, ("judgement", judgement.JudgementId.ToString(CultureInfo.InvariantCulture)), ("program", "shugaku_enjo"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var second = store.ForPerson(Child)[0];
        Assert.Equal("shugaku_enjo", second.Program);

        var unknown = await CampaignTestData.Post(client, $"/children/{Child}/outreach-approvals", token, ("judgement", judgement.JudgementId.ToString(CultureInfo.InvariantCulture)), ("program", "no_such_program"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(before + 2, store.ForPerson(Child).Count);

        var withdrawn = await CampaignTestData.Post(client, $"/children/{Child}/outreach-approvals/{first.ApprovalId}/withdraw", token);
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal(user, store.ForPerson(Child).Single(a => a.ApprovalId == first.ApprovalId).WithdrawnBy);
        Assert.DoesNotContain(store.Pending(), p => p.ApprovalId == first.ApprovalId);
        Assert.Contains(store.Pending(), p => p.ApprovalId == second.ApprovalId);
        var again = await CampaignTestData.Post(client, $"/children/{Child}/outreach-approvals/{first.ApprovalId}/withdraw", token);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        var changes = fixture.Audit.Query(new AuditQuery($"person:{Child}", user, null, null)).Where(e => e.Action == "change").ToList();
        Assert.All(changes, e => Assert.Equal("support_decision", e.Purpose));
        Assert.Contains(changes, e => e.Outcome == $"recorded:outreach_approval:{first.ApprovalId}");
        Assert.Contains(changes, e => e.Outcome == $"recorded:outreach_approval:{second.ApprovalId}");
        Assert.Contains(changes, e => e.Outcome == $"withdrawn:outreach_approval:{first.ApprovalId}");
        Assert.Contains(changes, e => e.Outcome == "rejected");
    }

    [Fact]
    public async Task SchoolStaff_MayNotApproveOutreach_AndTheRefusalIsAudited()
    {
        var (client, user) = await SignedIn("school_staff", "own_school:" + TestData.SchoolA);
        var token = await CampaignTestData.Token(client, $"/children/{TestData.Shota}");
        var response = await CampaignTestData.Post(client, $"/children/{TestData.Shota}/outreach-approvals", token, ("judgement", "1"), ("program", "jido_fuyo"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", user, null, null)), e => e.Action == "change" && e.Outcome == "denied");
        Assert.Empty(new OutreachApprovalStore(fixture.Database).ForPerson(TestData.Shota));
    }
}
