using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Casework;

namespace Mimamori.Web.Tests;

/// <summary>要対協 registration recorded on the child page and used as a worklist filter.</summary>
[Collection(WebGroup.Name)]
public sealed class YotaikyoTests(WebFixture fixture)
{
    [Fact]
    public async Task Browser_CaseworkerRegistersAChild_TheWorklistFilterFollows_UntilTheRegistrationEnds()
    {
        var (user, password) = fixture.NewUser("caseworker");
        await using var s = await BrowserSession.Open(fixture);
        await s.LogIn(user, password);
        await s.Go($"/?yotaikyo={YotaikyoFilter.Registered}");
        Assert.Equal(0, await s.Page.Locator($"tr[data-person=\"{TestData.Shota}\"]").CountAsync());

        await s.Go($"/children/{TestData.Shota}");
        Assert.Contains("未登録", await s.Page.InnerTextAsync("#yotaikyo .yotaikyo-state"), StringComparison.Ordinal);
        await s.Page.SelectOptionAsync("form.yotaikyo-register select[name=kind]", YotaikyoKind.Support);
        await s.Page.ClickAsync("form.yotaikyo-register button[type=submit]");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("登録中", await s.Page.InnerTextAsync("#yotaikyo .yotaikyo-state"), StringComparison.Ordinal);
        Assert.Contains("要支援児童", await s.Page.InnerTextAsync("#yotaikyo table.yotaikyo"), StringComparison.Ordinal);
        var registration = new YotaikyoStore(fixture.Database).Of(TestData.Shota).Single(r => r.IsOpen);

        await s.Go("/");
        await s.Page.SelectOptionAsync("form.filters select[name=yotaikyo]", YotaikyoFilter.Registered);
        await s.Page.ClickAsync("form.filters button[type=submit]");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("yotaikyo=registered", s.Page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await s.Page.Locator($"tr[data-person=\"{TestData.Shota}\"]").CountAsync());

        await s.Go($"/children/{TestData.Shota}");
        await s.Page.FillAsync("form.yotaikyo-end input[name=reason]", "支援終結（登校再開）");
        await s.Page.ClickAsync("form.yotaikyo-end button[type=submit]");
        await s.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.False(new YotaikyoStore(fixture.Database).Of(TestData.Shota).Single(r => r.RegistrationId == registration.RegistrationId).IsOpen);
        s.AssertStayedLocal();

        using var client = fixture.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        var notRegistered = await client.GetFromJsonAsync<JsonElement>($"/api/worklist?yotaikyo={YotaikyoFilter.NotRegistered}");
        Assert.Contains(notRegistered.GetProperty("rows").EnumerateArray(), r => r.GetProperty("personId").GetInt64() == TestData.Shota);
        var registered = await client.GetFromJsonAsync<JsonElement>($"/api/worklist?yotaikyo={YotaikyoFilter.Registered}");
        Assert.DoesNotContain(registered.GetProperty("rows").EnumerateArray(), r => r.GetProperty("personId").GetInt64() == TestData.Shota);

        var changes = fixture.Audit.Query(new AuditQuery($"person:{TestData.Shota}", user, null, null)).Where(e => e.Action == "change").Select(e => e.Outcome).ToList();
        Assert.Contains($"recorded:yotaikyo:{registration.RegistrationId}", changes);
        Assert.Contains($"ended:yotaikyo:{registration.RegistrationId}", changes);
    }
}
