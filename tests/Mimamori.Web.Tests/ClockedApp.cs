using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mimamori.Web.Tests;

/// <summary>
/// A second app on the fixture's database whose clock the test moves, for what depends on the date (due dates,
/// review dates). The shared app keeps the system clock, so the other tests are not disturbed.
/// </summary>
public sealed class ClockedApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private ClockedApp(WebApplication app, FakeTimeProvider clock, Uri baseAddress)
    {
        this.app = app;
        Clock = clock;
        BaseAddress = baseAddress;
    }

    public FakeTimeProvider Clock { get; }

    public Uri BaseAddress { get; }

    public static async Task<ClockedApp> Start(WebFixture fixture, DateTimeOffset now)
    {
        var clock = new FakeTimeProvider(now);
        var app = WebApp.Build(new WebOptions(fixture.Database, "http://127.0.0.1:0", clock));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ClockedApp(app, clock, new Uri(address));
    }

    /// <summary>An HTTP client with its own cookie jar, not following redirects.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
