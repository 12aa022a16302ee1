using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;

namespace Mimamori.Web.Tests;

[Collection(WebGroup.Name)]
public sealed class ReviewTests(WebFixture fixture)
{
    private static long next = 90_000;

    /// <summary>A pair in the queue: a consultation record (masked beyond identity for data stewards) and a registry record.</summary>
    private (long ReviewId, long Record, long Candidate) QueuePair(string given)
    {
        var record = Interlocked.Add(ref next, 2);
        var candidate = record + 1;
        using var connection = fixture.Database.Open();
        using var tx = connection.BeginTransaction();
        using (var source = new BulkWriter(connection, tx, "source_record", ["record_id", "batch_id", "source", "category", "file", "line", "local_id", "atena_no", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "original"]))
        {
            source.Write(record, 1L, "katei_sodan", "child_welfare", "katei_sodan/sodan.csv", record, "K-" + record, null, "髙橋", given, "タカハシ", "ハナコ", "2015-04-08", "F", "見守り市秘密町9-9", "{}");
            source.Write(candidate, 1L, "jumin_legacy", "resident", "jumin/jumin.csv", candidate, null, "0000" + candidate, "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ", "2015-04-03", "F", "見守り市本町1-2-3", "{}");
            source.Complete();
        }

        using (var run = new BulkWriter(connection, tx, "pipeline_run", ["run_id", "stage", "started_at", "finished_at", "rows", "status", "detail"]))
        {
            run.Write(record, "link", "2026-04-01T00:00:00Z", "2026-04-01T00:01:00Z", 2L, "succeeded", LinkageModel.Default.ToJson());
            run.Complete();
        }

        using (var queue = new BulkWriter(connection, tx, "link_review", ["review_id", "pair_key", "record_id", "candidate_record_id", "weight", "reason", "first_seen"]))
        {
            queue.Write(record, "pair-" + record, record, candidate, 7.5, "weight between the review and link thresholds", "2026-04-01T00:00:00Z");
            queue.Complete();
        }

        tx.Commit();
        return (record, record, candidate);
    }

    [Fact]
    public async Task DataSteward_AcceptsAPairInTheBrowser_DecisionIsStoredByKeysAndAudited()
    {
        var (reviewId, record, candidate) = QueuePair("花子");
        var (user, password) = fixture.NewUser("data_steward");
        await using var session = await BrowserSession.Open(fixture);
        await session.LogIn(user, password);

        await session.Go("/review");
        Assert.Contains("名寄せの確認", await session.Page.InnerTextAsync("nav"), StringComparison.Ordinal);
        await session.Page.ClickAsync($"a[href='/review/{reviewId}']");
        await session.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var pair = await session.Page.InnerTextAsync("table.review-pair");
        Assert.Contains("髙橋 花子", pair, StringComparison.Ordinal);
        Assert.Contains("平成27年4月3日", pair, StringComparison.Ordinal);
        Assert.Contains("見守り市本町1-2-3", pair, StringComparison.Ordinal);
        Assert.DoesNotContain("秘密町", pair, StringComparison.Ordinal); // consultation records: identity only for data quality
        Assert.Equal(6, await session.Page.Locator("svg.waterfall g.step").CountAsync()); // five comparisons and the total
        Assert.Contains("生年月日", await session.Page.InnerTextAsync("table.waterfall-table"), StringComparison.Ordinal);

        await session.Page.ClickAsync("form.decide button.accept");
        await session.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.EndsWith("/review", session.Page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await session.Page.Locator($"a[href='/review/{reviewId}']").CountAsync());
        session.AssertStayedLocal();

        var keys = RecordKeys.Load(fixture.Database, [record, candidate]);
        var decision = Assert.Single(IdentityStore.Decisions(fixture.Database), d => d.PairKey == RecordKeys.Pair(keys[record].Key, keys[candidate].Key));
        Assert.Equal(StoredDecision.Same, decision.Decision);
        Assert.Equal(user, decision.DecidedBy);
        var events = fixture.Audit.Query(new AuditQuery(null, user, null, null));
        Assert.Contains(events, e => e.Subject == $"record:{record}" && e.Action == "view" && !e.Fields.Contains("address"));
        Assert.Contains(events, e => e.Subject == $"record:{candidate}" && e.Fields.Contains("address"));
        Assert.Contains(events, e => e.Subject == $"review:{reviewId}" && e.Action == "link_decision" && e.Outcome == StoredDecision.Same);
    }

    [Fact]
    public async Task Caseworker_MayNotReview_AndARejectionNeedsTheAntiforgeryToken()
    {
        var (reviewId, _, _) = QueuePair("華子");
        var (caseworker, caseworkerPassword) = fixture.NewUser("caseworker");
        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user = caseworker, password = caseworkerPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/review/{reviewId}")).StatusCode);
        Assert.DoesNotContain("/review\"", await client.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"review:{reviewId}", caseworker, null, null)), e => e.Outcome == "denied");

        var (steward, stewardPassword) = fixture.NewUser("data_steward");
        using var stewardClient = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await stewardClient.PostAsJsonAsync("/api/login", new { user = steward, password = stewardPassword })).StatusCode);
        var forged = await stewardClient.PostAsync($"/review/{reviewId}/decide", new FormUrlEncodedContent([new("decision", "different")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.NotNull(LinkReview.Find(fixture.Database, reviewId));

        var token = await CampaignTestData.Token(stewardClient, $"/review/{reviewId}");
        var rejected = await CampaignTestData.Post(stewardClient, $"/review/{reviewId}/decide", token, ("decision", "different"));
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Null(LinkReview.Find(fixture.Database, reviewId));
        Assert.Contains(IdentityStore.Decisions(fixture.Database), d => d.DecidedBy == steward && d.Decision == StoredDecision.Different);
    }

    [Fact]
    public async Task PersonLinks_ShowEachLinksWaterfallWithoutNames_AndAreAudited()
    {
        var (_, record, candidate) = QueuePair("花子");
        var person = record * 10;
        var a = new Linkage.Records.LinkRecord(record, "katei_sodan", false, null, null, null, new Kernel.People.PersonName("髙橋", "花子", "タカハシ", "ハナコ"), new DateOnly(2015, 4, 3), Kernel.People.Sex.Female, null);
        var b = new Linkage.Records.LinkRecord(candidate, "jumin_legacy", true, "1", null, null, new Kernel.People.PersonName("高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ"), new DateOnly(2015, 4, 3), Kernel.People.Sex.Female, null);
        var explanation = new PairScorer(LinkageModel.Default).Explain(a, Linkage.Records.LinkKeys.Of(a), b, Linkage.Records.LinkKeys.Of(b));
        using (var connection = fixture.Database.Open())
        using (var tx = connection.BeginTransaction())
        using (var shared = new BulkWriter(connection, tx, "link_explanation", ["explanation_id", "json"]))
        using (var link = new BulkWriter(connection, tx, "person_record", ["record_id", "person_id", "method", "weight", "explanation", "explanation_id"]))
        {
            // The scored link names its explanation as a link saves it; the registry link has its own text, as a
            // link written before explanations were stored once does.
            shared.Write(person, explanation.ToJson());
            link.Write(record, person, "probabilistic", explanation.Total, string.Empty, person);
            link.Write(candidate, person, "registry", 0.0, "{}", null);
            shared.Complete();
            link.Complete();
            tx.Commit();
        }

        var (user, password) = fixture.NewUser("data_steward");
        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        var page = await client.GetStringAsync($"/review/person/{person}");

        Assert.Contains("katei_sodan", page, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, "<svg class=\"waterfall\""));
        Assert.Contains(explanation.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);
        Assert.DoesNotContain("花子", page, StringComparison.Ordinal);
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"person:{person}", user, null, null)), e => e.Outcome == "allowed");
    }
}
