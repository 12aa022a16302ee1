using System.Net;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Outreach;

namespace Mimamori.Web.Tests;

[Collection(WebGroup.Name)]
public sealed class InboxTests(WebFixture fixture)
{
    private async Task<HttpClient> Opened(string code)
    {
        var client = fixture.Client();
        var token = await CampaignTestData.Token(client, "/inbox");
        var response = await CampaignTestData.Post(client, "/inbox", token, ("code", code));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/inbox", response.Headers.Location?.OriginalString);
        return client;
    }

    private List<Privacy.Audit.AuditEvent> EventsOf(string household) =>
        fixture.Audit.Query(new AuditQuery(null, "household:" + household, null, null)).ToList();

    [Fact]
    public async Task Code_OpensOnlyItsHouseholdsMessages_OpeningMarksRead_AndEveryAccessIsAudited()
    {
        var (_, messageId, code) = CampaignTestData.Sent(fixture, "H0001", TestData.Shota);
        var (_, otherMessage, _) = CampaignTestData.Sent(fixture, "H0002", TestData.Misaki);
        var before = EventsOf("H0001").Count;

        // Typed as people type it: lower case, spaces instead of hyphens.
        using var client = await Opened(code.ToLowerInvariant().Replace('-', ' '));
        var list = await client.GetStringAsync("/inbox");
        Assert.Contains("就学援助のご案内", list, StringComparison.Ordinal);
        Assert.Contains($"/inbox/messages/{messageId}", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/inbox/messages/{otherMessage}\"", list, StringComparison.Ordinal);
        Assert.Contains("未読", list, StringComparison.Ordinal);

        var page = await client.GetStringAsync($"/inbox/messages/{messageId}");
        Assert.Contains("給食費", page, StringComparison.Ordinal);
        Assert.Contains("学務課", page, StringComparison.Ordinal);
        using (var connection = fixture.Database.Open())
        {
            Assert.NotNull(connection.QuerySingle<string?>("SELECT read_at FROM outreach_message WHERE message_id = @messageId", new { messageId }));
            Assert.Null(connection.QuerySingle<string?>("SELECT read_at FROM outreach_message WHERE message_id = @otherMessage", new { otherMessage }));
        }

        // Another household's message is not found through this household's session.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/inbox/messages/{otherMessage}")).StatusCode);

        var events = EventsOf("H0001");
        Assert.Equal(before + 4, events.Count);
        Assert.Contains(events, e => e.Action == "login" && e.Subject == "household:H0001" && e.Outcome == "allowed");
        Assert.Contains(events, e => e.Action == "search" && e.Subject == "household:H0001");
        Assert.Contains(events, e => e.Action == "view" && e.Subject == $"message:{messageId}" && e.Outcome == "allowed");
        Assert.Contains(events, e => e.Action == "view" && e.Subject == $"message:{otherMessage}" && e.Outcome == "not_found");
        Assert.All(events, e => Assert.Equal("outreach", e.Purpose));
        Assert.DoesNotContain(fixture.Audit.ReadAll(), e => e.Subject.Contains(code, StringComparison.Ordinal) || e.Fields.Any(f => f.Contains(code, StringComparison.Ordinal)));
        Assert.Null(fixture.Audit.Verify());
    }

    [Fact]
    public async Task Answers_AreRecorded_AndAnOptOutKeepsTheHouseholdOutOfLaterCampaigns()
    {
        var (_, messageId, code) = CampaignTestData.Sent(fixture, "H0004", TestData.Ichiro);
        using var client = await Opened(code);
        var token = await CampaignTestData.Token(client, $"/inbox/messages/{messageId}");

        var applied = await CampaignTestData.Post(client, $"/inbox/messages/{messageId}/respond", token, ("response", "applied"));
        Assert.Equal("/inbox?done=applied", applied.Headers.Location?.OriginalString);
        var bogus = await CampaignTestData.Post(client, $"/inbox/messages/{messageId}/respond", token, ("response", "score_me"));
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        var optOut = await CampaignTestData.Post(client, $"/inbox/messages/{messageId}/respond", token, ("response", "opted_out"));
        Assert.Equal(HttpStatusCode.Redirect, optOut.StatusCode);
        Assert.Contains("今後、このようなお知らせはお送りしません", await client.GetStringAsync("/inbox?done=opted_out"), StringComparison.Ordinal);

        using (var connection = fixture.Database.Open())
        {
            Assert.Equal(["applied", "opted_out"], connection.Query<string>("SELECT response FROM message_response WHERE message_id = @messageId ORDER BY response_id", new { messageId }));
        }

        var store = new CampaignStore(fixture.Database);
        Assert.Contains("H0004", store.OptedOut());

        // A later campaign approved for the household still sends nothing to it.
        var later = CampaignTestData.Draft(fixture, ("H0004", TestData.Ichiro), ("H0003", TestData.ScriptChild));
        store.Approve(later, "supervisor", CampaignTestData.Now);
        Assert.Equal(["H0003"], store.ToSend(later).Select(m => m.HouseholdNo));
        Assert.Contains(EventsOf("H0004"), e => e.Action == "respond" && e.Outcome == "opted_out");
    }

    [Fact]
    public async Task WithoutASession_MessagesAndAnswersRedirectToTheCodeForm()
    {
        using var client = fixture.Client();
        Assert.Equal("/inbox", (await client.GetAsync("/inbox/messages/1")).Headers.Location?.OriginalString);
        var form = await client.GetStringAsync("/inbox?lang=en");
        Assert.Contains("Access code", form, StringComparison.Ordinal);
        var forged = new HttpRequestMessage(HttpMethod.Get, "/inbox");
        forged.Headers.Add("Cookie", "mimamori.inbox=H0001");
        Assert.Contains("name=\"code\"", await (await client.SendAsync(forged)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_ShowsTheEnglishWording()
    {
        var (_, messageId, code) = CampaignTestData.Sent(fixture, "H0003", TestData.ScriptChild);
        using var client = await Opened(code);
        var page = await client.GetStringAsync($"/inbox/messages/{messageId}?lang=en");
        Assert.Contains("School expenses assistance", page, StringComparison.Ordinal);
        Assert.Contains("What to bring", page, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);

        // Every wording opens, the deadline one included, in Japanese and English.
        var (_, deadlineMessage, deadlineCode) = CampaignTestData.Sent(fixture, "H0003", TestData.ScriptChild, "deadline");
        using var second = await Opened(deadlineCode);
        Assert.Contains("申請に必要なもの", await second.GetStringAsync($"/inbox/messages/{deadlineMessage}?lang=ja"), StringComparison.Ordinal);
        Assert.Contains("What to bring", await second.GetStringAsync($"/inbox/messages/{deadlineMessage}?lang=en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCodes_AreThrottledPerClient_EvenForARightCodeAfterwards()
    {
        // Its own app, so the throttle's memory does not reach the other tests.
        var (_, _, code) = CampaignTestData.Sent(fixture, "H0002", TestData.Misaki);
        await using var app = WebApp.Build(new WebOptions(fixture.Database, "http://127.0.0.1:0"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
        var deniedBefore = fixture.Audit.Query(new AuditQuery("inbox", "anonymous", null, null)).Count;

        for (var i = 0; i < Web.InboxPages.MaxFailures; i++)
        {
            var token = await CampaignTestData.Token(client, "/inbox");
            var wrong = await CampaignTestData.Post(client, "/inbox", token, ("code", "AAAA-BBBB-CCCC-DDD" + (char)('E' + i)));
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("アクセスコードが正しくありません", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var t = await CampaignTestData.Token(client, "/inbox");
        var blocked = await CampaignTestData.Post(client, "/inbox", t, ("code", code));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);

        var events = fixture.Audit.Query(new AuditQuery("inbox", "anonymous", null, null));
        Assert.Equal(deniedBefore + Web.InboxPages.MaxFailures + 1, events.Count);
        Assert.Equal("throttled", events[0].Outcome);
        await app.StopAsync();
    }
}
