using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Ingestion.Specs;
using Mimamori.Privacy.Access;

namespace Mimamori.Web.Tests;

/// <summary>The public transparency page is generated from the policy and the feed specs the system enforces.</summary>
[Collection(WebGroup.Name)]
public sealed class TransparencyTests(WebFixture fixture)
{
    private static List<FeedSpec> ShippedSpecs()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mimamori.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Directory.EnumerateFiles(Path.Combine(directory.FullName, "data", "feeds"), "*.json")
            .Select(f => FeedSpecLoader.Parse(File.ReadAllText(f), f).Spec!)
            .ToList();
    }

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, HttpClient Client)> Start(WebFixture fixture)
    {
        var app = WebApp.Build(new WebOptions(fixture.Database, "http://127.0.0.1:0") { Feeds = ShippedSpecs() });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task Page_IsPublic_AndListsEveryCategoryWithBasisRetentionItemsAndRoles()
    {
        var (app, client) = await Start(fixture);
        await using var _ = app;
        using var __ = client;

        var response = await client.GetAsync(new Uri("/transparency?lang=ja", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var category in AccessPolicy.Default.Categories)
        {
            Assert.Contains($"id=\"category-{category.Id}\"", html, StringComparison.Ordinal);
            Assert.Contains(category.Ja, html, StringComparison.Ordinal);
            Assert.Contains($"最終更新から{category.RetentionYears}年", html, StringComparison.Ordinal);
        }

        foreach (var basis in AccessPolicy.Default.LegalBases)
        {
            Assert.Contains(basis.Ja, html, StringComparison.Ordinal);
        }

        // The tax feed's items as the tax department names them, and tax secrecy visible in the role table.
        Assert.Contains("所得区分", html, StringComparison.Ordinal);
        Assert.Contains("同意等がある場合のみ", html, StringComparison.Ordinal);
        Assert.Contains("How your information is used", await client.GetStringAsync(new Uri("/transparency?lang=en", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_FollowsThePolicy_TaxOnlyWithConsent_SchoolStaffNoTax()
    {
        var (app, client) = await Start(fixture);
        await using var _ = app;
        using var __ = client;

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/transparency.json", UriKind.Relative)));
        var categories = json.RootElement.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(AccessPolicy.Default.Categories.Count, categories.Count);
        var tax = categories[DataCategory.Tax];
        Assert.Equal(AccessPolicy.Default.Category(DataCategory.Tax).RetentionYears, tax.GetProperty("retention_years").GetInt32());
        Assert.Equal("consent", tax.GetProperty("roles").GetProperty(Role.Caseworker).GetString());
        Assert.Equal("deny", tax.GetProperty("roles").GetProperty(Role.SchoolStaff).GetString());
        Assert.Equal("allow", categories[DataCategory.Education].GetProperty("roles").GetProperty(Role.SchoolStaff).GetString());
        Assert.Contains(tax.GetProperty("feeds").EnumerateArray(), f => f.GetProperty("source").GetString() == "juminzei");
    }
}
