using System.Net;
using System.Net.Http.Json;

namespace Mimamori.Web.Tests;

/// <summary>
/// A session left alone ends: a screen of children's data must not stay open on an unattended desk. The session is
/// sliding (each request renews it), so only idleness ends it.
/// </summary>
[Collection(WebGroup.Name)]
public sealed class SessionExpiryTests(WebFixture fixture)
{
    private static readonly DateTimeOffset Monday = new(2026, 4, 13, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Session_IdleForMoreThanThirtyMinutes_IsEnded_WhileUseKeepsItAlive()
    {
        await using var app = await ClockedApp.Start(fixture, Monday);
        var (user, password) = fixture.NewUser("caseworker");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/login", new { user, password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/worklist")).StatusCode);

        // In use: a request every 20 minutes for an hour keeps the session.
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/worklist")).StatusCode);
        }

        // Left alone for 31 minutes: the same cookie no longer opens anything, on the API or on a page.
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/worklist")).StatusCode);
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString.Replace(app.BaseAddress.ToString().TrimEnd('/'), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
