using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Web.Tests;

/// <summary>The paper back-entry form (in Chromium) and the data-quality page with its quarantine download.</summary>
[Collection(WebGroup.Name)]
public sealed class IngestionPagesTests(WebFixture fixture)
{
    private async Task<HttpClient> SignedIn(string user, string password)
    {
        var client = fixture.Client();
        var response = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task Caseworker_EntersAPaperRecord_ErrorsShowBesideFields_ThenItIsStoredWithWhoAndWhen()
    {
        var (user, password) = fixture.NewUser(Role.Caseworker);
        await using var session = await BrowserSession.Open(fixture);
        await session.LogIn(user, password);
        await session.Page.ClickAsync("header nav a[href='/entry']");
        await session.Page.ClickAsync("a[href='/entry/paper_katei_sodan']");
        Assert.Contains("紙の相談記録", await session.Page.InnerTextAsync("h1"), StringComparison.Ordinal);

        // 平成31年5月1日 is not a date (令和 began that day) and the child's name is missing.
        var number = "紙" + Guid.NewGuid().ToString("N")[..6];
        await session.Page.FillAsync("#c3", "やまだ はなこ");
        await Submit(session, ("#c0", number), ("#c1", "平成31年5月1日"), ("#c6", "虐待通告"));
        Assert.Contains("保存されていません", await session.Page.InnerTextAsync("p.error"), StringComparison.Ordinal);
        Assert.Contains("和暦", await session.Page.InnerTextAsync("#c1-error"), StringComparison.Ordinal);
        Assert.Contains("required", await session.Page.InnerTextAsync("#c2-error"), StringComparison.Ordinal);
        Assert.Equal("true", await session.Page.GetAttributeAsync("#c1", "aria-invalid"));
        Assert.Equal(number, await session.Page.InputValueAsync("#c0"));
        Assert.False(new HistoryQuery(fixture.Database).HasRecord("paper_katei_sodan", number));

        await session.Page.FillAsync("#c1", "令和2年6月3日");
        await session.Page.FillAsync("#c2", "山田　花子");
        await session.Page.FillAsync("#c4", "2016-02-29");
        await session.Page.ClickAsync("form.entry button[type=submit]");
        Assert.Contains(number, await session.Page.InnerTextAsync("p.saved"), StringComparison.Ordinal);
        session.AssertStayedLocal();

        using var connection = fixture.Database.Open();
        var stored = connection.QuerySingle<(string Status, string EnteredBy, string EnteredAt, long Read, string Name, string Birth)>(
            """
            SELECT b.status, b.entered_by, b.entered_at, b.rows_read, r.family_name || r.given_name, r.birth_date
            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.source = 'paper_katei_sodan' AND r.local_id = @number
            """,
            new { number });
        Assert.Equal(("delta", user, 1L, "山田花子", "2016-02-29"), (stored.Status, stored.EnteredBy, stored.Read, stored.Name, stored.Birth));
        Assert.StartsWith(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), stored.EnteredAt, StringComparison.Ordinal);
        Assert.Equal("2020-06-03", connection.ExecuteScalar<string>(
            "SELECT f.fact_date FROM fact f JOIN source_record r ON r.record_id = f.record_id WHERE r.local_id = @number AND f.kind = 'cw.consultation_type'", new { number }));
        var events = fixture.Audit.ReadAll().Where(e => e.User == user && e.Action == "change").ToList();
        Assert.Equal(["invalid", "allowed"], events.Select(e => e.Outcome));
        Assert.All(events, e => Assert.Equal(("record_entry", "record:paper_katei_sodan:" + number), (e.Purpose, e.Subject)));

        // The same form number cannot be entered twice.
        await session.Go("/entry/paper_katei_sodan");
        await Submit(session, ("#c0", number), ("#c1", "令和2年6月3日"), ("#c2", "山田　花子"), ("#c6", "養育相談"));
        Assert.Contains("入力済み", await session.Page.InnerTextAsync("#c0-error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.DataSteward)]
    [InlineData(Role.SchoolStaff)]
    [InlineData(Role.PrivacyOfficer)]
    public async Task RolesThePolicyDoesNotAllow_CannotEnterPaperRecords(string role)
    {
        var (user, password) = fixture.NewUser(role, role == Role.SchoolStaff ? "own_school:" + TestData.SchoolA : "all");
        using var client = await SignedIn(user, password);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/entry")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/entry/paper_katei_sodan")).StatusCode);
    }

    [Fact]
    public async Task DataSteward_QualityPage_ShowsReconciliationCompletenessAndTrend_MasksChildWelfare_AndExportIsAuditedAndGuarded()
    {
        Import("jumin_legacy", "resident", "=HYPERLINK(\"http://example.invalid\")");
        Import("katei_sodan", "child_welfare", "虐待の疑い 山田花子");
        var (user, password) = fixture.NewUser(Role.DataSteward);
        using var client = await SignedIn(user, password);

        var overview = await client.GetStringAsync("/quality");
        Assert.Contains("href=\"/quality/jumin_legacy\"", overview, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"trend\"", overview, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/quality/jumin_legacy"));
        Assert.Contains("読込 3 = 取込 2 + 隔離 1", page, StringComparison.Ordinal);
        Assert.Contains("50.0%", page, StringComparison.Ordinal); // 電話 filled in one of two accepted rows
        Assert.Contains("=HYPERLINK(\"http://example.invalid\")", page, StringComparison.Ordinal);
        Assert.Contains("<polyline", page, StringComparison.Ordinal);

        var masked = await client.GetStringAsync("/quality/katei_sodan");
        Assert.DoesNotContain("山田花子", masked, StringComparison.Ordinal);
        Assert.Contains("＊＊＊", masked, StringComparison.Ordinal);

        var batch = new QualityQuery(fixture.Database).Batches("jumin_legacy")[^1].BatchId;
        var csv = await client.GetAsync($"/quality/jumin_legacy/quarantine.csv?batch={batch}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.invalid\"\")\"", text, StringComparison.Ordinal);
        Assert.StartsWith("\uFEFF", text, StringComparison.Ordinal);
        var export = Assert.Single(fixture.Audit.ReadAll(), e => e.User == user && e.Action == "export");
        Assert.Equal(("data_quality", "feed:jumin_legacy", "allowed"), (export.Purpose, export.Subject, export.Outcome));
        Assert.Contains("resident", export.Categories);
        Assert.Contains(fixture.Audit.ReadAll(), e => e.User == user && e.Action == "view" && e.Subject == "feed:katei_sodan");

        var (caseworker, cwPassword) = fixture.NewUser(Role.Caseworker);
        using var other = await SignedIn(caseworker, cwPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/quality/jumin_legacy")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/quality/jumin_legacy/quarantine.csv?batch={batch}")).StatusCode);
    }

    /// <summary>Fills the fields (a select for the code column #c6) and submits the form.</summary>
    private static async Task Submit(BrowserSession session, params (string Field, string Value)[] values)
    {
        foreach (var (field, value) in values)
        {
            if (field == "#c6")
            {
                await session.Page.SelectOptionAsync(field, value);
            }
            else
            {
                await session.Page.FillAsync(field, value);
            }
        }

        await session.Page.ClickAsync("form.entry button[type=submit]");
    }

    private void Import(string source, string category, string badValue)
    {
        var file = source + "/test.csv";
        CanonicalRecord Row(long line, string id, string phone) => new(
            source, category, file, line, id, "A" + id, null, new PersonName("山田", "花子", "ヤマダ", "ハナコ"), new DateOnly(2016, 2, 29), Sex.Female,
            null, null, phone, null, [], [new("宛名番号", "A" + id), new("電話", phone)]);
        using var writer = ImportBatchWriter.Begin(fixture.Database, source, file, Guid.NewGuid().ToString("N"), "full", DateTimeOffset.UtcNow);
        writer.Add(Row(2, Guid.NewGuid().ToString("N"), "048-000-0000"));
        writer.Add(Row(3, Guid.NewGuid().ToString("N"), string.Empty));
        writer.Quarantine(new QuarantinedValue(file, 4, "氏名", badValue, "a value (required)"));
        writer.Commit(new ReadSummary(file, 3, 2, 1), DateTimeOffset.UtcNow);
    }
}
