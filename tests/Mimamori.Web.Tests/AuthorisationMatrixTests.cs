using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Privacy.Access;
using Mimamori.Web.Security;

namespace Mimamori.Web.Tests;

/// <summary>
/// The authorisation matrix: every endpoint the app maps has a declared policy, and every endpoint × role × data
/// category gives exactly the outcome written here — status codes, and per category whether the values come back,
/// come back masked, or do not come back at all.
/// </summary>
[Collection(AuthzGroup.Name)]
public sealed class AuthorisationMatrixTests(AuthzFixture fixture)
{
    internal const string A = "allow";
    internal const string M = "mask";
    private const string D = "deny";

    internal static readonly string[] CategoryOrder = ["resident", "tax", "welfare", "health", "education", "child_welfare", "medical"];

    /// <summary>
    /// What each demo account (keyed by user name) sees of a child, for the purpose its role works under, written out by hand from
    /// the published policy (tax is masked: the test family gave no consent). Null: the child page is refused.
    /// </summary>
    internal static readonly Dictionary<string, string[]?> ChildMatrix = new()
    {
        [Role.Caseworker] = [A, M, A, A, A, A, A],
        [Role.Supervisor] = [A, M, A, A, A, A, A],
        [Role.SchoolStaff] = [M, D, D, D, A, D, D],
        [Role.HealthNurse] = [A, D, D, A, D, D, D],
        [Role.DataSteward] = [A, M, A, A, A, M, A],
        [Role.PrivacyOfficer] = null,
        [Role.Administrator] = null,
        [Role.Partner] = null,
        [Storage.People.DemoAccounts.OwnCasesUser] = [A, M, A, A, A, A, A],
    };

    public static TheoryData<string> Roles() => [.. ChildMatrix.Keys];

    [Fact]
    public void EveryMappedEndpoint_HasADeclaredPolicy_AndEveryPolicyAMappedEndpoint()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => m + " " + e.RoutePattern.RawText))
            .ToList();
        Assert.True(mapped.Count > 40, "the app's endpoints were not found");
        var undeclared = mapped.Where(k => !EndpointPolicies.All.Any(p => p.Key == k)).ToList();
        Assert.True(undeclared.Count == 0, "endpoints without a declared policy: " + string.Join(", ", undeclared));
        var stale = EndpointPolicies.All.Select(p => p.Key).Where(k => !mapped.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "policies for endpoints the app does not map: " + string.Join(", ", stale));
        Assert.Equal(EndpointPolicies.All.Count, EndpointPolicies.All.Select(p => p.Key).Distinct().Count());
    }

    [Fact]
    public void EveryPolicy_NamesRealRolesPurposesAndCategories()
    {
        var policy = AccessPolicy.Default;
        Assert.Equal(policy.Roles.Select(r => r.Id).Order(StringComparer.Ordinal), EndpointPolicies.Roles.Order(StringComparer.Ordinal));
        foreach (var e in EndpointPolicies.All)
        {
            Assert.All(e.Roles, r => Assert.NotNull(policy.FindRole(r)));
            Assert.All(e.Categories, c => Assert.NotNull(policy.FindCategory(c)));
            Assert.True(e.Purpose is null || policy.FindPurpose(e.Purpose) is not null, e.Key + ": unknown purpose " + e.Purpose);
            Assert.True(e.Gate == EndpointGate.Public || e.Roles.Count > 0 || e.Purpose is not null, e.Key);
            Assert.False(string.IsNullOrWhiteSpace(e.Why), e.Key);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryStaffEndpoint_GivesThisRoleTheDeclaredStatus(string user)
    {
        var samples = AuthzSession.Samples(fixture);
        using var client = await AuthzSession.SignIn(fixture, user);
        var account = fixture.Accounts[user];
        var role = account.Role;
        var token = await CampaignTestData.Token(client, "/logout");
        var failures = new List<string>();
        foreach (var e in EndpointPolicies.All.Where(e => e.Gate == EndpointGate.Staff))
        {
            Assert.True(samples.TryGetValue(e.Key, out var sample), "no sample request for " + e.Key);
            var admitted = e.Admits(role, account.Scope);
            var expected = admitted ? sample.Admitted : 403;
            using var response = e.Method == "GET" ? await client.GetAsync(sample.Path) : await CampaignTestData.Post(client, sample.Path, token);
            if ((int)response.StatusCode != expected)
            {
                failures.Add($"{e.Key} as {role}: {(int)response.StatusCode}, expected {expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Anonymous_GetsPublicEndpoints_AndIsSentToSignInForEveryStaffEndpoint()
    {
        var samples = AuthzSession.Samples(fixture);
        using var client = fixture.Client();
        var failures = new List<string>();
        foreach (var e in EndpointPolicies.All.Where(e => e.Method == "GET" || e.Gate == EndpointGate.Staff))
        {
            if (!samples.TryGetValue(e.Key, out var sample))
            {
                Assert.Fail("no sample request for " + e.Key);
            }

            using var response = e.Method == "GET" ? await client.GetAsync(sample.Path) : await client.PostAsync(sample.Path, new FormUrlEncodedContent([]));
            var status = (int)response.StatusCode;
            var expected = e.Gate == EndpointGate.Public ? sample.Admitted : sample.Path.StartsWith("/api/", StringComparison.Ordinal) ? 401 : 302;
            if (status != expected || (expected == 302 && e.Gate == EndpointGate.Staff && response.Headers.Location?.ToString().Contains("/login", StringComparison.Ordinal) != true))
            {
                failures.Add($"{e.Key} anonymous: {status}, expected {expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task ChildApi_ForThisRole_ShowsMasksOrWithholdsEachCategoryExactlyAsTheMatrixSays(string user)
    {
        using var client = await AuthzSession.SignIn(fixture, user);
        using var response = await client.GetAsync($"/api/children/{AuthzFixture.Hina}");
        var row = ChildMatrix[user];
        if (row is null)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var records = json.RootElement.GetProperty("records").EnumerateArray().ToList();
        var timeline = json.RootElement.GetProperty("timeline").EnumerateArray().ToList();
        var person = json.RootElement.GetProperty("person");
        Assert.Equal("高橋 陽菜", person.GetProperty("name").GetString());
        for (var i = 0; i < CategoryOrder.Length; i++)
        {
            var category = CategoryOrder[i];
            var record = records.Where(r => r.GetProperty("recordId").GetInt64() == AuthzFixture.RecordOf[category]).ToList();
            var facts = timeline.Where(f => f.GetProperty("recordId").GetInt64() == AuthzFixture.RecordOf[category] && f.GetProperty("category").GetString() == category).ToList();
            var marker = AuthzFixture.Marker(category);
            switch (row[i])
            {
                case A:
                    Assert.Equal(marker, Assert.Single(record).GetProperty("original").GetProperty("項目").GetString());
                    Assert.Contains(facts, f => f.GetProperty("value").GetString() == marker);
                    break;
                case M:
                    Assert.Equal("＊＊＊", Assert.Single(record).GetProperty("original").GetProperty("項目").GetString());
                    Assert.All(facts, f => Assert.Equal("＊＊＊", f.GetProperty("value").GetString()));
                    Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Empty(record);
                    Assert.Empty(facts);
                    Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
                    Assert.Contains(json.RootElement.GetProperty("withheldCategories").EnumerateArray(), c => c.GetString() == category);
                    break;
            }
        }

        // The resident fields and the school follow their categories.
        var resident = row[0] == A;
        Assert.Equal(resident ? "見守り市秘密町7-7" : "＊＊＊", person.GetProperty("address").GetString());
        Assert.Equal(resident ? "A0900" : "＊＊＊", person.GetProperty("atenaNo").GetString());
        Assert.Equal(row[4] == A ? TestData.SchoolA : "＊＊＊", person.GetProperty("school").GetString());
        if (!resident)
        {
            Assert.DoesNotContain("秘密町", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task ChildPage_ForThisRole_ShowsMasksOrWithholdsEachCategoryExactlyAsTheMatrixSays(string user)
    {
        using var client = await AuthzSession.SignIn(fixture, user);
        using var response = await client.GetAsync($"/children/{AuthzFixture.Hina}");
        var row = ChildMatrix[user];
        if (row is null)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        for (var i = 0; i < CategoryOrder.Length; i++)
        {
            var category = CategoryOrder[i];
            var marker = AuthzFixture.Marker(category);
            var rowId = $"id=\"record-{AuthzFixture.RecordOf[category]}\"";
            switch (row[i])
            {
                case A:
                    Assert.Contains(rowId, html, StringComparison.Ordinal);
                    Assert.Contains(marker, html, StringComparison.Ordinal);
                    break;
                case M:
                    Assert.Contains(rowId, html, StringComparison.Ordinal);
                    Assert.DoesNotContain(marker, html, StringComparison.Ordinal);
                    break;
                default:
                    Assert.DoesNotContain(rowId, html, StringComparison.Ordinal);
                    Assert.DoesNotContain(marker, html, StringComparison.Ordinal);
                    break;
            }
        }

        Assert.Equal(row[0] == A, html.Contains("秘密町", StringComparison.Ordinal));
    }
}
