using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Notes;
using Mimamori.Storage.Reading;

namespace Mimamori.Web.Tests;

/// <summary>
/// Where the casework pages must follow the access policy beyond the role list of the endpoint table: 要対協
/// registrations are child-welfare data, consultation notes answer alike for a missing note and a child out of scope,
/// and saved views and referral answers refuse the roles the policy gives nothing to.
/// </summary>
[Collection(AuthzGroup.Name)]
public sealed class CaseworkPolicyTests(AuthzFixture fixture)
{
    [Fact]
    public async Task Yotaikyo_ANurseMayNeitherRecordItNorFilterTheWorklistOnIt_ACaseworkerMay()
    {
        var (nurse, nursePassword) = fixture.NewUser(Role.HealthNurse);
        using var client = await SignIn(nurse, nursePassword);
        var token = await CampaignTestData.Token(client, "/logout");
        var hina = AuthzFixture.Hina.ToString(CultureInfo.InvariantCulture);

        using var register = await CampaignTestData.Post(client, $"/children/{hina}/yotaikyo", token, ("kind", YotaikyoKind.Support), ("registered_on", "2026-04-01"));
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Empty(new YotaikyoStore(fixture.Database).Of(AuthzFixture.Hina));
        Assert.DoesNotContain("id=\"yotaikyo\"", await client.GetStringAsync($"/children/{hina}"), StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"yotaikyo\"", await client.GetStringAsync("/"), StringComparison.Ordinal);

        // The filter is ignored for the nurse: the same children with and without it.
        var all = await Total(client, "/api/worklist");
        Assert.True(all > 0, "the nurse's list is empty, so the filter proves nothing");
        Assert.Equal(all, await Total(client, "/api/worklist?yotaikyo=registered"));
        Assert.Equal(all, await Total(client, "/api/worklist?status=not_registered"));
        Assert.All(await Registrations(client), r => Assert.Equal(JsonValueKind.Null, r));

        // A caseworker's list does narrow on it, so the comparison above could fail.
        var (caseworker, password) = fixture.NewUser(Role.Caseworker);
        using var casework = await SignIn(caseworker, password);
        Assert.True(await Total(casework, "/api/worklist?yotaikyo=registered") < await Total(casework, "/api/worklist"));
        Assert.Contains("name=\"yotaikyo\"", await casework.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains(await Registrations(casework), r => r is JsonValueKind.True or JsonValueKind.False);
    }

    [Fact]
    public async Task Notes_AMissingNoteAndAChildOutOfScopeAnswerAlike_AndARoleWithoutRightsCannotProbeIds()
    {
        var other = AuthzSession.People(fixture).First(p => p != AuthzFixture.Hina);
        var notes = new ConsultationNotes(fixture.Database);
        var outside = notes.AddDraft(other, "担当外のこどもの相談", null, "test", "supervisor", DateTimeOffset.UtcNow);
        var inside = notes.AddDraft(AuthzFixture.Hina, "担当のこどもの相談", null, "test", "supervisor", DateTimeOffset.UtcNow);

        // The own-cases caseworker holds Hina only.
        using var client = await AuthzSession.SignIn(fixture, Storage.People.DemoAccounts.OwnCasesUser);
        var before = fixture.Audit.Count();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/notes/{inside.NoteId}")).StatusCode);
        using var outOfScope = await client.GetAsync($"/notes/{outside.NoteId}");
        using var missing = await client.GetAsync("/notes/999999");
        using var otherChild = await client.GetAsync($"/children/{other}/notes");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (outOfScope.StatusCode, missing.StatusCode, otherChild.StatusCode));
        Assert.DoesNotContain("担当外のこどもの相談", await outOfScope.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = fixture.Audit.ReadAll().Skip((int)before).Where(e => e.User == Storage.People.DemoAccounts.OwnCasesUser).ToList();
        Assert.Equal(3, events.Count(e => e.Outcome == "not_found_or_out_of_scope" && e.Purpose == Purpose.RecordEntry));

        // A nurse may not enter child-welfare records: refused alike whether the note exists or not.
        using var nurse = await AuthzSession.SignIn(fixture, Role.HealthNurse);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.GetAsync($"/notes/{inside.NoteId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.GetAsync("/notes/999999")).StatusCode);
    }

    [Fact]
    public async Task SavedViewsAndReferralAnswers_AreRefusedToRolesThePolicyGivesNothing()
    {
        using var steward = await AuthzSession.SignIn(fixture, Role.DataSteward);
        var token = await CampaignTestData.Token(steward, "/logout");
        using var save = await CampaignTestData.Post(steward, "/worklist/views", token, ("name", "高リスクのみ"), ("query", "band=high"));
        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        using var answer = await CampaignTestData.Post(steward, "/referrals/999999/answer", token, ("answer", "accept"), ("reason", "受理"));
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Empty(new WorklistViews(fixture.Database).ForUser(Role.DataSteward));

        // The same request from a role that sees the worklist is kept.
        using var caseworker = await AuthzSession.SignIn(fixture, Role.Caseworker);
        var caseworkerToken = await CampaignTestData.Token(caseworker, "/logout");
        using var kept = await CampaignTestData.Post(caseworker, "/worklist/views", caseworkerToken, ("name", "高リスクのみ"), ("query", "band=high"));
        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        Assert.Contains(new WorklistViews(fixture.Database).ForUser(Role.Caseworker), v => v.Name == "高リスクのみ" && v.Query == "band=high");
    }

    private async Task<HttpClient> SignIn(string user, string password)
    {
        var client = fixture.Client();
        using var login = await client.PostAsJsonAsync("/api/login", new { user, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    // Each listed child's 要対協 registration as the API gives it (null when withheld).
    private static async Task<List<JsonValueKind>> Registrations(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/worklist?pageSize=200"));
        return json.RootElement.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("judgement").ValueKind == JsonValueKind.Object)
            .Select(r => r.GetProperty("judgement").GetProperty("registeredWithYotaikyo").ValueKind).ToList();
    }

    private static async Task<int> Total(HttpClient client, string path)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(path));
        return json.RootElement.GetProperty("total").GetInt32();
    }
}
