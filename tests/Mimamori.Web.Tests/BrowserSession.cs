using Microsoft.Playwright;

namespace Mimamori.Web.Tests;

/// <summary>A browser context and page that records every request it makes and every dialog it opens.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext context;

    private BrowserSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        this.context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.Request += (_, request) => Requests.Add(request.Url);
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public List<string> Requests { get; } = [];

    public List<string> Dialogs { get; } = [];

    public static Task<BrowserSession> Open(WebFixture fixture) => Open(fixture, fixture.BaseAddress);

    /// <summary>A session against another app on the fixture's database (one with a clock the test controls).</summary>
    public static async Task<BrowserSession> Open(WebFixture fixture, Uri baseAddress)
    {
        var browser = await fixture.Browser();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "ja-JP" });
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, baseAddress);
    }

    public Task<IResponse?> Go(string path) => Page.GotoAsync(new Uri(BaseAddress, path).ToString());

    public async Task LogIn(string user, string password)
    {
        await Go("/login");
        await Page.FillAsync("#user", user);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("form.login button[type=submit]");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Every request went to the app itself: nothing left 127.0.0.1 (no CDN, fonts or telemetry).</summary>
    public void AssertStayedLocal()
    {
        Assert.NotEmpty(Requests);
        Assert.All(Requests, url => Assert.Equal("127.0.0.1", new Uri(url).Host));
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
