using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Rights;

namespace Mimamori.Web.Tests;

/// <summary>本人開示: only the privacy officer answers, only through a recorded request, and every step is audited.</summary>
[Collection(WebGroup.Name)]
public sealed class RightsTests(WebFixture fixture)
{
    private const string Font = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";

    private static async Task<HttpClient> SignedIn(WebFixture fixture, Uri baseAddress, string role)
    {
        var (user, password) = fixture.NewUser(role);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var response = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Add("X-Test-User", user);
        return client;
    }

    [Fact]
    public async Task OnlyThePrivacyOfficer_AnswersRequests()
    {
        using var caseworker = await SignedIn(fixture, fixture.BaseAddress, "caseworker");
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.GetAsync(new Uri("/rights", UriKind.Relative))).StatusCode);
        using var officer = await SignedIn(fixture, fixture.BaseAddress, "privacy_officer");
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync(new Uri("/rights", UriKind.Relative))).StatusCode);

        // A caseworker cannot reach a recorded request's data either.
        var token = await CampaignTestData.Token(officer, "/rights");
        var created = await CampaignTestData.Post(officer, "/rights/disclosures", token, ("person", TestData.Misaki.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("requester", "佐藤 花子"), ("relation", "法定代理人"), ("identity_check", "運転免許証を窓口で確認"), ("received_on", "2025-12-01"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.GetAsync(new Uri(location + "/json", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Request_GivesEverythingHeld_AsJsonAndPdf_WithWhoLooked_AndCorrectionsAreRecorded()
    {
        // Its own app, with the PDF font configured as a deployment has it.
        Assert.True(File.Exists(Font), $"{Font} is missing: install fonts-ipafont (the test script does).");
        await using var app = WebApp.Build(new WebOptions(fixture.Database, "http://127.0.0.1:0") { PdfFont = await File.ReadAllBytesAsync(Font) });
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        // A caseworker looks at the child first: the disclosure must show that.
        using var caseworker = await SignedIn(fixture, baseAddress, "caseworker");
        Assert.Equal(HttpStatusCode.OK, (await caseworker.GetAsync(new Uri($"/children/{TestData.Shota}", UriKind.Relative))).StatusCode);
        var caseworkerName = caseworker.DefaultRequestHeaders.GetValues("X-Test-User").Single();

        using var officer = await SignedIn(fixture, baseAddress, "privacy_officer");
        var officerName = officer.DefaultRequestHeaders.GetValues("X-Test-User").Single();
        var token = await CampaignTestData.Token(officer, "/rights");
        var missing = await CampaignTestData.Post(officer, "/rights/disclosures", token, ("person", "999999"), ("requester", "山田 花子"), ("relation", "法定代理人"), ("identity_check", "マイナンバーカード"), ("received_on", "2025-12-01"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var created = await CampaignTestData.Post(officer, "/rights/disclosures", token, ("person", TestData.Shota.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("requester", "山田 花子"), ("relation", "法定代理人"), ("identity_check", "マイナンバーカードを窓口で確認"), ("received_on", "2025-12-01"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        var page = await officer.GetStringAsync(new Uri(location, UriKind.Relative));
        Assert.Contains("令和7年12月1日", page, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await officer.GetByteArrayAsync(new Uri(location + "/json", UriKind.Relative)));
        var sections = json.RootElement.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("rows"));
        Assert.True(json.RootElement.GetProperty("draft").GetBoolean());
        Assert.Equal("山田", sections["person"][0].GetProperty("family_name").GetString());
        var records = sections["source_record"].EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("original").GetString()!.Contains("欠席日数", StringComparison.Ordinal));
        Assert.Contains(sections["audit_event"].EnumerateArray(), e => e.GetProperty("user_name").GetString() == caseworkerName && e.GetProperty("action").GetString() == "view");

        var pdf = await officer.GetByteArrayAsync(new Uri(location + "/pdf", UriKind.Relative));
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        var file = Path.Combine(Path.GetTempPath(), $"mimamori-disclosure-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var text = PdfText(file);
            Assert.Contains("保有個人情報の開示", text, StringComparison.Ordinal);
            Assert.Contains("山田", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        token = await CampaignTestData.Token(officer, location);
        var correction = await CampaignTestData.Post(officer, location + "/corrections", token, ("item", "住所"), ("held_value", "見守り市本町1-2-3"), ("requested_value", "見守り市本町1-2-4"), ("reason", "転居届の記載誤り"));
        Assert.Equal(HttpStatusCode.Redirect, correction.StatusCode);
        Assert.Equal("見守り市本町1-2-4", Assert.Single(new RightsStore(fixture.Database).Corrections(TestData.Shota)).RequestedValue);

        var trail = fixture.Audit.Query(new AuditQuery("person:" + TestData.Shota, officerName, null, null));
        // Newest first: the correction, the page opened again to correct, both downloads, the first view, the request.
        Assert.Equal(["change", "view", "export", "export", "view", "disclose"], trail.Select(e => e.Action).Take(6));
        Assert.All(trail.Take(6), e => Assert.Equal("disclosure", e.Purpose));
    }

    private static string PdfText(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return text;
    }
}
