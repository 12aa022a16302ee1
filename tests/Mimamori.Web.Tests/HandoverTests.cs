using System.Globalization;
using Microsoft.Playwright;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Handover;

namespace Mimamori.Web.Tests;

/// <summary>
/// 転出時の引継ぎ in the browser: a caseworker opens the action from the child page, sees the fields that will go, is
/// refused without a basis, then downloads a package only the receiving municipality's key opens; the receiving side
/// lists it and links it to the child.
/// </summary>
[Collection(WebGroup.Name)]
public sealed class HandoverTests(WebFixture fixture)
{
    /// <summary>Content of a received hand-over about a child, for lists that need one.</summary>
    internal static HandoverContent Sample(string family, string given, string familyKana, string givenKana, string birthDate) => new(
        HandoverContent.SchemaName,
        "2026-11-20T03:00:00Z",
        new HandoverBasis("appi_69_2_3", "個人情報保護法第69条第2項第3号", null, null, null),
        new HandoverPerson(family, given, familyKana, givenKana, birthDate, "F"),
        [],
        new HandoverMove("2026-11-15", "見守り市秘密町7-7"),
        new HandoverYotaikyo(false, null, null),
        [],
        [],
        null,
        new HandoverContact("相談員 田中", "転出元市こども家庭センター", "03-0000-0000"));

    [Fact]
    public async Task Browser_CaseworkerProducesAPackage_OnlyWithABasis_AndTheReceiverOpensListsAndLinksIt()
    {
        var folder = new HandoverKeyFolder(fixture.HandoverDirectory);
        if (!folder.HasOwnKey)
        {
            folder.Create("見守り市");
        }

        using var receiver = HandoverPrivateKey.Create("転出先市");
        Directory.CreateDirectory(folder.RecipientsDirectory);
        var recipientFile = "tenshutsu-" + Guid.NewGuid().ToString("N")[..8] + ".pub";
        await File.WriteAllTextAsync(Path.Combine(folder.RecipientsDirectory, recipientFile), receiver.Public.ToText());
        var contact = "内線 " + Guid.NewGuid().ToString("N")[..6];

        var (user, password) = fixture.NewUser("caseworker", "all", "こども家庭センター");
        var before = fixture.Audit.Count();
        string package;
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(user, password);
            await s.Go($"/children/{TestData.Shota}");
            await s.Page.ClickAsync("p.handover-link a");
            await s.Page.WaitForURLAsync($"**/children/{TestData.Shota}/handover");

            // Exactly the fields that will go: the child, both parents, the plan; no score.
            var fields = await s.Page.InnerTextAsync("table.handover-fields");
            Assert.Contains("山田 翔太（ヤマダ ショウタ）", fields, StringComparison.Ordinal);
            Assert.Contains("山田 花子", fields, StringComparison.Ordinal);
            Assert.Contains("山田 太郎", fields, StringComparison.Ordinal);
            Assert.DoesNotContain("スコア", fields, StringComparison.Ordinal);

            // No basis chosen: refused, and nothing downloaded.
            await s.Page.SelectOptionAsync("form.handover-form select[name=recipient]", recipientFile);
            await s.Page.FillAsync("form.handover-form input[name=contact]", contact);
            var refused = await s.Page.RunAndWaitForResponseAsync(() => s.Page.ClickAsync("form.handover-form button[type=submit]"), r => r.Request.Method == "POST" && r.Url.EndsWith("/handover", StringComparison.Ordinal));
            Assert.Equal(403, refused.Status);
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("法的根拠を選んでください", await s.Page.InnerTextAsync("main"), StringComparison.Ordinal);

            await s.Go($"/children/{TestData.Shota}/handover");
            await s.Page.SelectOptionAsync("form.handover-form select[name=recipient]", recipientFile);
            await s.Page.CheckAsync("form.handover-form input[name=basis][value=appi_69_2_3]");
            await s.Page.FillAsync("form.handover-form input[name=contact]", contact);
            var download = await s.Page.RunAndWaitForDownloadAsync(() => s.Page.ClickAsync("form.handover-form button[type=submit]"));
            Assert.StartsWith($"handover-{TestData.Shota}-", download.SuggestedFilename, StringComparison.Ordinal);
            package = await File.ReadAllTextAsync((await download.PathAsync())!);
            s.AssertStayedLocal();
        }

        // The file names nobody in clear; the receiving key opens it and finds the sender's signature.
        Assert.DoesNotContain("翔太", package, StringComparison.Ordinal);
        Assert.DoesNotContain(contact, package, StringComparison.Ordinal);
        using (var own = folder.OwnKey())
        {
            var opened = HandoverPackage.Open(package, receiver, own.Public, "download");
            var content = HandoverContent.Parse(opened.Content);
            Assert.Equal(("山田", "翔太", "2015-06-10"), (content.Child.FamilyName, content.Child.GivenName, content.Child.BirthDate));
            Assert.Equal(["花子", "太郎"], content.Guardians.Select(g => g.GivenName).Order(StringComparer.Ordinal).Reverse());
            Assert.Equal(("appi_69_2_3", contact), (content.Basis.Id, content.Caseworker.Contact));
        }

        // Both attempts are in the audit trail: the refusal and the disclosure, with purpose and recipient.
        var events = fixture.Audit.ReadAll().Skip((int)before).Where(e => e.User == user && e.Subject == $"person:{TestData.Shota}").ToList();
        Assert.Contains(events, e => e.Action == "disclose" && e.Purpose == "handover" && e.Outcome == "refused:no_basis:to:転出先市");
        var disclosed = Assert.Single(events, e => e.Action == "disclose" && e.Outcome.StartsWith("disclosed:", StringComparison.Ordinal));
        Assert.Equal($"disclosed:handover:to:転出先市:key:{receiver.Public.Fingerprint}:basis:appi_69_2_3", disclosed.Outcome);
        Assert.Equal(["child_welfare", "resident"], disclosed.Categories.Order(StringComparer.Ordinal));
        Assert.Equal(HandoverContent.Fields, disclosed.Fields);

        // With the family's consent to hand over to this municipality recorded on the same page, consent is the basis.
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(user, password);
            await s.Go($"/children/{TestData.Shota}/handover");
            await s.Page.ClickAsync("text=転出先への提供について家族の同意を記録する");
            await s.Page.SelectOptionAsync("form.handover-consent select[name=partner]", "転出先市");
            await s.Page.FillAsync("form.handover-consent input[name=given_by]", "母 山田花子");
            await s.Page.FillAsync("form.handover-consent input[name=given_on]", "2026-04-01");
            await s.Page.ClickAsync("form.handover-consent button[type=submit]");
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var consent = new Storage.Casework.ReferralStore(fixture.Database).ConsentsOf(TestData.Shota).First(c => c.Partner == "転出先市" && c.InForce);

            await s.Go($"/children/{TestData.Shota}/handover");
            await s.Page.SelectOptionAsync("form.handover-form select[name=recipient]", recipientFile);
            await s.Page.CheckAsync("form.handover-form input[name=basis][value=consent]");
            await s.Page.SelectOptionAsync("form.handover-form select[name=consent]", consent.ConsentId.ToString(CultureInfo.InvariantCulture));
            await s.Page.FillAsync("form.handover-form input[name=contact]", contact);
            var download = await s.Page.RunAndWaitForDownloadAsync(() => s.Page.ClickAsync("form.handover-form button[type=submit]"));
            using var own = folder.OwnKey();
            var content = HandoverContent.Parse(HandoverPackage.Open(await File.ReadAllTextAsync((await download.PathAsync())!), receiver, own.Public, "download").Content);
            Assert.Equal(("consent", (long?)consent.ConsentId, "母 山田花子"), (content.Basis.Id, content.Basis.ConsentId, content.Basis.ConsentGivenBy));
        }

        // The receiving side (here the same store, where the child also lives) imports it, lists it and links it.
        var received = new HandoverStore(fixture.Database).Import(package, receiver, null, "receiver", DateTimeOffset.UtcNow, "download");
        await using (var s = await BrowserSession.Open(fixture))
        {
            await s.LogIn(user, password);
            await s.Page.ClickAsync("header nav >> text=受け入れた引継ぎ");
            await s.Page.WaitForURLAsync("**/handover/received");
            var item = s.Page.Locator($"section[data-handover=\"{received.HandoverId.ToString(CultureInfo.InvariantCulture)}\"]");
            Assert.Contains("見守り市", await item.InnerTextAsync(), StringComparison.Ordinal);
            await item.Locator("form.handover-link-form button").ClickAsync();
            await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("結び付け済み", await s.Page.Locator($"section[data-handover=\"{received.HandoverId.ToString(CultureInfo.InvariantCulture)}\"] p.state").InnerTextAsync(), StringComparison.Ordinal);
        }

        var linked = new HandoverStore(fixture.Database).Find(received.HandoverId)!;
        Assert.Equal((HandoverStatus.Linked, (long?)TestData.Shota, user), (linked.Status, linked.PersonId, linked.LinkedBy));
        Assert.Contains(fixture.Audit.Query(new AuditQuery($"handover:{received.HandoverId}", user, null, null)), e => e.Outcome == $"linked:person:{TestData.Shota}");
    }
}
