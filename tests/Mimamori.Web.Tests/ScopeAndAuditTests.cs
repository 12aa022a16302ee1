using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Web.Security;

namespace Mimamori.Web.Tests;

/// <summary>
/// From outside, as each demo account signed in through <c>POST /api/login</c>: no API answer names a child outside
/// the account's scope or carries a value outside its rights; and every endpoint that returns personal data appends
/// an audit event saying who, in which role, for which purpose, about whom and which categories.
/// </summary>
[Collection(AuthzGroup.Name)]
public sealed class ScopeAndAuditTests(AuthzFixture fixture)
{
    private static readonly string[] SeesWorklist = [Role.Caseworker, Role.Supervisor, Role.SchoolStaff, Role.HealthNurse];

    public static TheoryData<string> Roles() => [.. AuthorisationMatrixTests.ChildMatrix.Keys];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task FromOutside_NoApiAnswerReachesAChildOutsideScope_OrAFieldOutsideRights(string user)
    {
        using var client = await AuthzSession.SignIn(fixture, user);
        var stored = new Storage.People.UserStore(fixture.Database, TimeProvider.System).Find(user)!.User;
        var role = stored.Role;
        var reachable = AuthzSession.Reachable(fixture, stored);
        var row = AuthorisationMatrixTests.ChildMatrix[user];
        var categoryOf = CategoryOfEveryRecord();
        var failures = new List<string>();

        foreach (var person in AuthzSession.People(fixture))
        {
            using var response = await client.GetAsync($"/api/children/{person}");
            var expected = row is null ? HttpStatusCode.Forbidden : reachable.Contains(person) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            if (response.StatusCode != expected)
            {
                failures.Add($"person {person}: {(int)response.StatusCode}, expected {(int)expected}");
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("\"person\"", body, StringComparison.Ordinal);
                continue;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var record in json.RootElement.GetProperty("records").EnumerateArray())
            {
                var id = record.GetProperty("recordId").GetInt64();
                var effect = row![Array.IndexOf(AuthorisationMatrixTests.CategoryOrder, categoryOf[id])];
                if (effect == AuthorisationMatrixTests.A)
                {
                    continue;
                }

                if (effect != AuthorisationMatrixTests.M)
                {
                    failures.Add($"person {person}: record {id} of withheld category {categoryOf[id]} came back");
                }
                else if (record.GetProperty("original").EnumerateObject().Any(p => p.Value.GetString() != "＊＊＊"))
                {
                    failures.Add($"person {person}: record {id} of masked category {categoryOf[id]} came back with values");
                }
            }

            foreach (var fact in json.RootElement.GetProperty("timeline").EnumerateArray())
            {
                var effect = row![Array.IndexOf(AuthorisationMatrixTests.CategoryOrder, fact.GetProperty("category").GetString()!)];
                if (effect == AuthorisationMatrixTests.M ? fact.GetProperty("value").GetString() != "＊＊＊" : effect != AuthorisationMatrixTests.A)
                {
                    failures.Add($"person {person}: a {fact.GetProperty("category").GetString()} fact came back beyond the account's rights");
                }
            }

            if (row![0] != AuthorisationMatrixTests.A && json.RootElement.GetProperty("person").GetProperty("address").GetString() != "＊＊＊")
            {
                failures.Add($"person {person}: the address came back without resident rights");
            }
        }

        using var worklist = await client.GetAsync("/api/worklist?pageSize=500");
        if (!SeesWorklist.Contains(role))
        {
            Assert.Equal(HttpStatusCode.Forbidden, worklist.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, worklist.StatusCode);
            using var json = JsonDocument.Parse(await worklist.Content.ReadAsStringAsync());
            var listed = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("personId").GetInt64()).ToHashSet();
            var flagged = Flagged();
            Assert.True(listed.SetEquals(flagged.Where(reachable.Contains)), $"{role}: listed {string.Join(",", listed.Order())}, expected {string.Join(",", flagged.Where(reachable.Contains).Order())}");
            if (row![4] != AuthorisationMatrixTests.A)
            {
                Assert.All(json.RootElement.GetProperty("rows").EnumerateArray(), r => Assert.Equal("＊＊＊", r.GetProperty("school").GetString()));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryEndpointReturningPersonalData_AppendsAnAuditEvent_WithWhoRolePurposeSubjectAndCategories()
    {
        var samples = AuthzSession.Samples(fixture);
        var failures = new List<string>();
        foreach (var e in EndpointPolicies.All.Where(e => e.PersonalData && e.Gate == EndpointGate.Staff && e.Method == "GET"))
        {
            var role = e.Roles.First(r => !e.CityWide || fixture.Accounts[r].Scope == "all" || r == Role.PrivacyOfficer);
            var (user, client) = e.CityWide && fixture.Accounts[role].Scope != "all" ? await CityWide(role) : (fixture.Accounts[role].User, await AuthzSession.SignIn(fixture, role));
            using (client)
            {
                var before = fixture.Audit.Count();
                using var response = await client.GetAsync(samples[e.Key].Path);
                if (!response.IsSuccessStatusCode && (int)response.StatusCode != samples[e.Key].Admitted)
                {
                    failures.Add($"{e.Key} as {role}: {(int)response.StatusCode}");
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    // Refused before anything was read (the PDF needs a configured font): no data, so nothing to audit.
                    Assert.DoesNotContain("陽菜", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                    continue;
                }

                var events = fixture.Audit.ReadAll().Skip((int)before).Where(ev => ev.User == user).ToList();
                var fitting = events.Where(ev => ev.Role == role && ev.Purpose == e.Purpose && ev.Subject.Length > 0 && ev.Outcome.StartsWith("allowed", StringComparison.Ordinal)).ToList();
                if (fitting.Count == 0)
                {
                    failures.Add($"{e.Key} as {role}: no audit event with role and purpose {e.Purpose} (got {string.Join("; ", events.Select(ev => ev.Purpose + "/" + ev.Action + "/" + ev.Subject + "/" + ev.Outcome))})");
                }
                else if (e.Categories.Count > 0 && fitting.All(ev => ev.Categories.Count == 0))
                {
                    failures.Add($"{e.Key} as {role}: the audit events name no data category");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AFamilyReadingItsNotice_IsAudited()
    {
        var (_, messageId, code) = CampaignTestData.Sent(fixture, "H0900", AuthzFixture.Hina);
        using var client = fixture.Client();
        var token = await CampaignTestData.Token(client, "/inbox");
        await CampaignTestData.Post(client, "/inbox", token, ("code", code));
        var before = fixture.Audit.Count();
        using var response = await client.GetAsync($"/inbox/messages/{messageId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subject = "message:" + messageId.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(fixture.Audit.ReadAll().Skip((int)before), ev => ev.Subject == subject && ev.Outcome == "allowed");
    }

    // The demo privacy officer's scope is none; answering a disclosure needs a city-wide account of the same role.
    private async Task<(string User, HttpClient Client)> CityWide(string role)
    {
        var (user, password) = fixture.NewUser(role);
        var client = fixture.Client();
        var login = await client.PostAsync("/api/login", new StringContent(JsonSerializer.Serialize(new { user, password }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (user, client);
    }

    private Dictionary<long, string> CategoryOfEveryRecord()
    {
        using var connection = fixture.Database.Open();
        return connection.Query<(long Id, string Category)>("SELECT record_id, category FROM source_record").ToDictionary(r => r.Id, r => r.Category);
    }

    private HashSet<long> Flagged()
    {
        using var connection = fixture.Database.Open();
        return connection.Query<long>("SELECT DISTINCT n.person_id FROM need_assessment n JOIN person p ON p.person_id = n.person_id WHERE p.is_child = 1 AND n.band <> 'none'").ToHashSet();
    }
}
