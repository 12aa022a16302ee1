using Mimamori.Privacy.Access;
using Mimamori.Web.Security;

namespace Mimamori.Web.Tests;

/// <summary>
/// Every HTML page of the app, opened in Chromium by a role that may see it, loads nothing from anywhere but the
/// app's own origin: no CDN, web font, analytics or image host. The page list comes from the endpoint policy table,
/// so a new page is checked without anyone remembering to add it here.
/// </summary>
[Collection(AuthzGroup.Name)]
public sealed class NoOutsideLoadsTests(AuthzFixture fixture)
{
    private static readonly string[] NotPages = ["/api/", "/assets/", "/healthz", "/metrics", "/openapi/", ".json", "/json", ".csv", ".xlsx", "/pdf"];

    [Fact]
    public async Task EveryPage_ForARoleThatMaySeeIt_LoadsOnlyFromTheAppsOwnOrigin()
    {
        var samples = AuthzSession.Samples(fixture);
        var pages = EndpointPolicies.All
            .Where(e => e.Method == "GET" && !NotPages.Any(n => samples[e.Key].Path.Contains(n, StringComparison.Ordinal)))
            .ToList();
        Assert.True(pages.Count >= 20, "too few pages found: " + pages.Count);

        // One browser session per role, each opening the pages its role may see; public pages anonymously.
        var byRole = pages.GroupBy(e => e.Gate == EndpointGate.Public ? string.Empty : e.Roles.First(r => !e.CityWide || fixture.Accounts[r].Scope == "all" || r == Role.PrivacyOfficer));
        var opened = 0;
        foreach (var group in byRole)
        {
            await using var s = await BrowserSession.Open(fixture);
            if (group.Key == Role.PrivacyOfficer)
            {
                var (user, password) = fixture.NewUser(Role.PrivacyOfficer);
                await s.LogIn(user, password);
            }
            else if (group.Key.Length > 0)
            {
                await s.LogIn(fixture.Accounts[group.Key].User, fixture.Accounts[group.Key].Password);
            }

            foreach (var e in group)
            {
                var response = await s.Go(samples[e.Key].Path);
                Assert.True(response is not null && response.Status < 500, e.Key);
                var html = await s.Page.ContentAsync();
                Assert.Contains("/assets/site.css", html, StringComparison.Ordinal);
                opened++;
            }

            Assert.Contains(s.Requests, url => url.EndsWith("/assets/site.css", StringComparison.Ordinal));
            s.AssertStayedLocal();
        }

        Assert.Equal(pages.Count, opened);
    }
}
