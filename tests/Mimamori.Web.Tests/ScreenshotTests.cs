using Microsoft.Playwright;

namespace Mimamori.Web.Tests;

/// <summary>
/// A screenshot of each main page, as the role that uses it sees it, on the test municipality (no real person exists
/// in it). Every page must answer 200 and render its heading. The PNGs go to a temp folder; with
/// <c>MIMAMORI_SCREENSHOTS=1</c> they replace those in docs/screenshots, which the README shows.
/// </summary>
[Collection(WebGroup.Name)]
public sealed class ScreenshotTests(WebFixture fixture)
{
    private static readonly (string Name, string Path, string? Role)[] Pages =
    [
        ("worklist", "/", "supervisor"),
        ("child", $"/children/{TestData.Shota}", "supervisor"),
        ("judgements", "/judgements", "supervisor"),
        ("dashboard", "/dashboard", "supervisor"),
        ("campaigns", "/campaigns", "supervisor"),
        ("review", "/review", "data_steward"),
        ("quality", "/quality", "data_steward"),
        ("transparency", "/transparency", null),
        ("audit", "/audit", "privacy_officer"),
    ];

    [Fact]
    public async Task EveryMainPage_RendersAndIsCaptured()
    {
        var folder = Environment.GetEnvironmentVariable("MIMAMORI_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "mimamori-screenshots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var browser = await fixture.Browser();
        foreach (var role in Pages.Select(p => p.Role).Distinct())
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "ja-JP", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            var page = await context.NewPageAsync();
            if (role is not null)
            {
                var (user, password) = fixture.NewUser(role);
                await page.GotoAsync(new Uri(fixture.BaseAddress, "/login").ToString());
                await page.FillAsync("#user", user);
                await page.FillAsync("#password", password);
                await page.ClickAsync("form.login button[type=submit]");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }

            foreach (var (name, path, _) in Pages.Where(p => p.Role == role))
            {
                var response = await page.GotoAsync(new Uri(fixture.BaseAddress, path).ToString());
                Assert.True(response!.Status == 200, $"{path} as {role ?? "anonymous"}: {response.Status}");
                Assert.NotEmpty((await page.InnerTextAsync("h1")).Trim());
                var file = Path.Combine(folder, name + ".png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(bytes.Length > 1000, $"{name}.png is {bytes.Length} bytes");
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            }
        }

        Assert.Equal(Pages.Length, Directory.GetFiles(folder, "*.png").Length);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mimamori.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mimamori.slnx not found above " + AppContext.BaseDirectory);
    }
}
