using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.People;

namespace Mimamori.Web.Tests;

/// <summary>
/// One temp SQLite database with <see cref="TestData"/>, demo accounts, the app on a free 127.0.0.1 port and one
/// Chromium, shared by the web test classes (which therefore run one after another).
/// </summary>
public class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "mimamori-web-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public MimamoriDatabase Database { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyDictionary<string, DemoAccount> Accounts { get; private set; } = null!;

    public AuditLog Audit => new(Database);

    /// <summary>The app's hand-over key folder; empty until a test writes keys into it (the app reads it per request).</summary>
    public string HandoverDirectory => Path.Combine(directory, "handover");

    /// <summary>The running app, for tests that enumerate its endpoints.</summary>
    public WebApplication App => app ?? throw new InvalidOperationException("The app has not started.");

    public async Task InitializeAsync()
    {
        Database = MimamoriDatabase.FromSetting(Path.Combine(directory, "mimamori.db"));
        Database.Migrate();
        Seed(Database);
        Accounts = DemoAccounts.Seed(Database, TestData.SchoolA).ToDictionary(a => a.User);
        app = WebApp.Build(new WebOptions(Database, "http://127.0.0.1:0") { HandoverDirectory = HandoverDirectory });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    /// <summary>Writes the data the app starts with; a fixture for one area may add its own rows.</summary>
    protected virtual void Seed(MimamoriDatabase db) => TestData.Insert(db);

    /// <summary>The shared browser, started on first use. A missing Chromium fails the test with instructions.</summary>
    public async Task<IBrowser> Browser()
    {
        if (browser is not null)
        {
            return browser;
        }

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}; browser tests cannot run. Install it with " +
                "`apt-get install -y chromium fonts-noto-cjk fonts-ipafont` (the test script does this). Never use `playwright install`.");
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return browser;
    }

    /// <summary>An HTTP client with its own cookie jar, not following redirects.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>A fresh account, so a test can count exactly its own audit events.</summary>
    public (string User, string Password) NewUser(string role, string scope = "all", string organisation = "テスト課")
    {
        var name = role + "-" + Guid.NewGuid().ToString("N")[..8];
        var password = "pw-" + Guid.NewGuid().ToString("N");
        new UserStore(Database, TimeProvider.System).Save(new Privacy.Access.User(name, "テスト " + name, role, organisation, Privacy.Access.Scope.Parse(scope)), password);
        return (name, password);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless; failing the run over it would not be.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebGroup : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
