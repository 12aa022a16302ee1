using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Notes;
using Mimamori.Storage.Rights;

namespace Mimamori.Web.Tests;

/// <summary>Helpers of the authorisation tests: signing in through the API and a concrete request per route.</summary>
public static class AuthzSession
{
    /// <summary>A client signed in through <c>POST /api/login</c> as the demo account of this role.</summary>
    public static async Task<HttpClient> SignIn(WebFixture fixture, string user)
    {
        var client = fixture.Client();
        var account = fixture.Accounts[user];
        var response = await client.PostAsJsonAsync("/api/login", new { user = account.User, password = account.Password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login as {user}: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>
    /// For each route, a concrete path whose data exists (so an admitted role gets a real answer, not 404) and the
    /// status an admitted role gets. Creates what the routes name: a campaign, a meeting, a decision, a disclosure.
    /// </summary>
    public static IReadOnlyDictionary<string, (string Path, int Admitted)> Samples(WebFixture fixture)
    {
        var hina = AuthzFixture.Hina.ToString(CultureInfo.InvariantCulture);
        var campaign = CampaignTestData.Draft(fixture, ("H0900", AuthzFixture.Hina));
        var store = new JudgementStore(fixture.Database);
        var meeting = store.CreateMeeting(new NewMeeting(new DateOnly(2026, 4, 15), "ケース会議", "case_meeting", ["統括"], "supervisor"), DateTimeOffset.UtcNow);
        store.AddToAgenda(meeting.MeetingId, AuthzFixture.Hina, "supervisor", DateTimeOffset.UtcNow);
        var judgement = store.Record(
            new NewJudgement(AuthzFixture.Hina, Decision.Watch, "様子を見る", new Decider("caseworker", "相談員", Role.Caseworker, "こども家庭センター"), null, false, new JudgementSnapshot(null, [], null, "test", Purpose.SupportDecision)),
            DateTimeOffset.UtcNow);
        var disclosure = new RightsStore(fixture.Database).RecordDisclosure(AuthzFixture.Hina, "高橋 陽菜", "本人", "マイナンバーカード", new DateOnly(2026, 4, 1), "privacy_officer", DateTimeOffset.UtcNow);
        var plans = new PlanStore(fixture.Database);
        var plan = plans.Create(new NewPlan(AuthzFixture.Hina, judgement.JudgementId, "登校の再開", string.Empty, "こども家庭センター", new DateOnly(2026, 7, 1), "supervisor"), DateTimeOffset.UtcNow);
        var task = plans.AddTask(new NewTask(plan.PlanId, "家庭訪問", new DateOnly(2026, 5, 1), "相談員", "supervisor"), DateTimeOffset.UtcNow);

        // A referral to the children and families centre, so its inbox lists a child.
        new ReferralStore(fixture.Database).Send(new NewReferral(AuthzFixture.Hina, "H0900", "保健センター", "health_nurse", Agencies.Internal[0], "健診の未受診", new Dictionary<string, string> { ["name"] = "高橋 陽菜" }, null), DateTimeOffset.UtcNow);
        var note = new ConsultationNotes(fixture.Database).AddDraft(AuthzFixture.Hina, "相談の下書き", null, "test", "supervisor", DateTimeOffset.UtcNow);
        // A hand-over received from another municipality, so the received list shows a child (a fresh package each call).
        new Storage.Handover.HandoverStore(fixture.Database).Receive("転出元市", "0123456789abcdef", true, Guid.NewGuid().ToString("N"), HandoverTests.Sample("高橋", "陽菜", "タカハシ", "ヒナ", "2016-02-02"), "test", DateTimeOffset.UtcNow);
        string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, (string, int)>
        {
            ["GET /assets/{name}"] = ("/assets/site.css", 200),
            ["GET /healthz"] = ("/healthz", 200),
            ["GET /metrics"] = ("/metrics", 200),
            ["GET /login"] = ("/login", 200),
            ["GET /logout"] = ("/logout", 200),
            ["GET /"] = ("/", 200),
            ["GET /children/{id:long}"] = ("/children/" + hina, 200),
            ["GET /worklist/export.xlsx"] = ("/worklist/export.xlsx", 200),
            ["GET /plans"] = ("/plans", 200),
            ["GET /api/casework/overdue"] = ("/api/casework/overdue", 200),
            ["GET /referrals"] = ("/referrals", 200),
            ["GET /api/referrals"] = ("/api/referrals", 200),
            ["GET /dashboard"] = ("/dashboard", 200),
            ["GET /children/{id:long}/notes"] = ("/children/" + hina + "/notes", 200),
            ["GET /notes/{noteId:long}"] = ("/notes/" + Id(note.NoteId), 200),
            ["GET /audit"] = ("/audit", 200),
            ["GET /inbox"] = ("/inbox", 200),
            ["GET /inbox/messages/{id:long}"] = ("/inbox/messages/1", 302),
            ["GET /campaigns"] = ("/campaigns", 200),
            ["GET /campaigns/{id}"] = ("/campaigns/" + campaign, 200),
            ["GET /campaigns/{id}/results"] = ("/campaigns/" + campaign + "/results", 200),
            ["GET /quality"] = ("/quality", 200),
            ["GET /quality/{source}"] = ("/quality/" + AuthzFixture.QualitySource, 200),
            ["GET /quality/{source}/quarantine.csv"] = ("/quality/" + AuthzFixture.QualitySource + "/quarantine.csv?batch=9001", 200),
            ["GET /entry"] = ("/entry", 200),
            ["GET /entry/{source}"] = ("/entry/paper_katei_sodan", 200),
            ["GET /judgements"] = ("/judgements", 200),
            ["GET /judgements/meetings/{id:long}"] = ("/judgements/meetings/" + meeting.MeetingId.ToString(CultureInfo.InvariantCulture), 200),
            ["GET /judgements/{id:long}"] = ("/judgements/" + judgement.JudgementId.ToString(CultureInfo.InvariantCulture), 200),
            ["GET /validity"] = ("/validity", 200),
            ["GET /review"] = ("/review", 200),
            ["GET /review/{id:long}"] = ("/review/" + AuthzFixture.ReviewId.ToString(CultureInfo.InvariantCulture), 200),
            ["GET /review/person/{id:long}"] = ("/review/person/" + hina, 200),
            ["GET /transparency"] = ("/transparency", 200),
            ["GET /transparency.json"] = ("/transparency.json", 200),
            ["GET /rights"] = ("/rights", 200),
            ["GET /rights/disclosures/{id:long}"] = ("/rights/disclosures/" + disclosure.RequestId.ToString(CultureInfo.InvariantCulture), 200),
            ["GET /rights/disclosures/{id:long}/json"] = ("/rights/disclosures/" + disclosure.RequestId.ToString(CultureInfo.InvariantCulture) + "/json", 200),
            ["GET /rights/disclosures/{id:long}/pdf"] = ("/rights/disclosures/" + disclosure.RequestId.ToString(CultureInfo.InvariantCulture) + "/pdf", 503),
            ["GET /api/worklist"] = ("/api/worklist", 200),
            ["GET /api/children/{id:long}"] = ("/api/children/" + hina, 200),
            ["GET /api/audit"] = ("/api/audit", 200),
            ["GET /openapi/v1.json"] = ("/openapi/v1.json", 200),
            ["POST /children/{id:long}/break-glass"] = ("/children/" + hina + "/break-glass", 400),
            ["POST /children/{id:long}/assignments"] = ("/children/" + hina + "/assignments", 400),
            ["POST /children/{id:long}/assignments/{assignment:long}/end"] = ("/children/" + hina + "/assignments/999999/end", 404),
            ["POST /audit/break-glass/{id:long}/review"] = ("/audit/break-glass/999999/review", 400),
            ["POST /children/{id:long}/judgements"] = ("/children/" + hina + "/judgements", 400),
            ["POST /campaigns/{id}/approve"] = ("/campaigns/" + campaign + "/approve", 302),
            ["POST /entry/{source}"] = ("/entry/paper_katei_sodan", 422),
            ["POST /judgements/meetings"] = ("/judgements/meetings", 400),
            ["POST /judgements/meetings/{id:long}/agenda"] = ("/judgements/meetings/" + meeting.MeetingId.ToString(CultureInfo.InvariantCulture) + "/agenda", 404),
            ["POST /review/{id:long}/decide"] = ("/review/" + AuthzFixture.ReviewId.ToString(CultureInfo.InvariantCulture) + "/decide", 400),
            ["POST /worklist/views"] = ("/worklist/views", 302),
            ["POST /worklist/views/{id:long}/delete"] = ("/worklist/views/999999/delete", 302),
            ["POST /children/{id:long}/plans"] = ("/children/" + hina + "/plans", 400),
            ["POST /plans/{id:long}"] = ("/plans/" + Id(plan.PlanId), 400),
            ["POST /plans/{id:long}/tasks"] = ("/plans/" + Id(plan.PlanId) + "/tasks", 400),
            ["POST /tasks/{id:long}/done"] = ("/tasks/" + Id(task.TaskId) + "/done", 302),
            ["POST /referrals/{id:long}/answer"] = ("/referrals/999999/answer", 404),
            ["POST /children/{id:long}/referrals"] = ("/children/" + hina + "/referrals", 400),
            ["POST /children/{id:long}/consents"] = ("/children/" + hina + "/consents", 400),
            ["POST /consents/{id:long}/withdraw"] = ("/consents/999999/withdraw", 404),
            ["POST /children/{id:long}/yotaikyo"] = ("/children/" + hina + "/yotaikyo", 400),
            ["POST /yotaikyo/{id:long}/end"] = ("/yotaikyo/999999/end", 404),
            ["POST /children/{id:long}/notes"] = ("/children/" + hina + "/notes", 503),
            ["POST /notes/{noteId:long}/confirm"] = ("/notes/" + Id(note.NoteId) + "/confirm", 302),
            ["POST /rights/disclosures"] = ("/rights/disclosures", 400),
            ["POST /rights/disclosures/{id:long}/corrections"] = ("/rights/disclosures/" + disclosure.RequestId.ToString(CultureInfo.InvariantCulture) + "/corrections", 400),
            ["POST /children/{id:long}/outreach-approvals"] = ("/children/" + hina + "/outreach-approvals", 400),
            ["POST /children/{id:long}/outreach-approvals/{approval:long}/withdraw"] = ("/children/" + hina + "/outreach-approvals/999999/withdraw", 404),
            ["GET /children/{id:long}/handover"] = ("/children/" + hina + "/handover", 200),
            ["POST /children/{id:long}/handover"] = ("/children/" + hina + "/handover", 400),
            ["GET /handover/received"] = ("/handover/received", 200),
            ["POST /handover/received/{id:long}/link"] = ("/handover/received/999999/link", 404),
        };
    }

    /// <summary>Children a scope reaches, worked out from the tables directly (not through the app's scope filter).</summary>
    public static IReadOnlySet<long> Reachable(WebFixture fixture, User user)
    {
        using var connection = fixture.Database.Open();
        var people = Dapper.SqlMapper.Query<long>(connection, "SELECT person_id FROM person").ToList();
        switch (user.Scope.Kind)
        {
            case ScopeKind.All:
                return people.ToHashSet();
            case ScopeKind.OwnSchool:
                // The latest school.name fact per person, compared in C#.
                var schools = Dapper.SqlMapper.Query<(long Person, string? Date, long Record, string School)>(
                    connection,
                    "SELECT pr.person_id, f.fact_date, f.record_id, f.value_text FROM fact f JOIN person_record pr ON pr.record_id = f.record_id WHERE f.kind = 'school.name'");
                return schools.GroupBy(s => s.Person)
                    .Where(g => g.OrderByDescending(s => s.Date ?? string.Empty, StringComparer.Ordinal).ThenByDescending(s => s.Record).First().School == user.Scope.School)
                    .Select(g => g.Key).ToHashSet();
            case ScopeKind.OwnDepartment:
                var allowed = AccessPolicy.Default.DecideAll(user, Purpose.EarlySupport).Values.Where(d => d.IsAllowed).Select(d => d.Category).ToHashSet();
                var categories = Dapper.SqlMapper.Query<(long Person, string Category)>(connection, "SELECT pr.person_id, s.category FROM person_record pr JOIN source_record s ON s.record_id = pr.record_id");
                return categories.Where(c => allowed.Contains(c.Category)).Select(c => c.Person).ToHashSet();
            case ScopeKind.OwnCases:
                return Dapper.SqlMapper.Query<long>(connection, "SELECT person_id FROM case_assignment WHERE user_name = @name AND ended_at IS NULL", new { name = user.Name }).ToHashSet();
            default:
                return new HashSet<long>();
        }
    }

    /// <summary>Every person id in the database.</summary>
    public static IReadOnlyList<long> People(WebFixture fixture)
    {
        using var connection = fixture.Database.Open();
        return Dapper.SqlMapper.Query<long>(connection, "SELECT person_id FROM person ORDER BY person_id").ToList();
    }
}
