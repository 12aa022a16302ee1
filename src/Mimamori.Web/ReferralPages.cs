using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// Referrals between organisations (school, 児童相談所, 保健センター, こども家庭センター, outside partners) and the consents
/// that allow a referral to an outside partner. The sender picks the minimum fields; their values are frozen into the
/// referral, so the receiver sees what was sent and nothing else. Sending is a disclosure and is audited as one
/// (<see cref="AuditAction.Disclose"/>); a referral to an outside partner without a consent in force that covers the
/// partner and every field is refused. The receiving organisation answers in its inbox, with a reason.
/// </summary>
public static class ReferralPages
{
    private const int TextMaxLength = 2000;

    /// <summary>Maps the area's endpoints.</summary>
    public static IEndpointRouteBuilder MapReferralPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/referrals", Inbox).RequireAuthorization();
        app.MapGet("/api/referrals", InboxApi).RequireAuthorization();
        app.MapPost("/referrals/{id:long}/answer", Answer).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/referrals", Send).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/consents", RecordConsent).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/consents/{id:long}/withdraw", WithdrawConsent).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>True for the roles that receive referrals in an inbox: those that decide, schools and partners.</summary>
    internal static bool Receives(User user) =>
        JudgementPages.MayDecide(AccessPolicy.Default, user) || user.Role is Role.SchoolStaff or Role.Partner;

    /// <summary>The inbox link in the page header, with the number of referrals the user's organisation has not answered.</summary>
    internal static Markup NavLink(Ui ui)
    {
        if (ui.User is not { } user || !Receives(user))
        {
            return Markup.Empty;
        }

        var count = new ReferralStore(ui.Http.RequestServices.GetRequiredService<MimamoriDatabase>()).Unanswered(user.Organisation);
        return H($"<a href=\"/referrals\">{ui.T("連携・紹介", "Referrals")}{If(count > 0, H($" <span class=\"alert-count referral-alert\" title=\"{ui.T("未回答", "Unanswered")}\">{count}</span>"))}</a>");
    }

    /// <summary>Name of a field.</summary>
    internal static string FieldLabel(Ui ui, string field) => field switch
    {
        ReferralField.Name => ui.T("氏名・ふりがな", "Name and reading"),
        ReferralField.BirthDate => ui.T("生年月日", "Date of birth"),
        ReferralField.Address => ui.T("住所", "Address"),
        ReferralField.School => ui.T("学校", "School"),
        ReferralField.Guardian => ui.T("保護者の氏名", "Guardians' names"),
        _ => field,
    };

    /// <summary>Name of a referral state.</summary>
    internal static string StatusLabel(Ui ui, string status) => status switch
    {
        ReferralStatus.Sent => ui.T("未回答", "Awaiting answer"),
        ReferralStatus.Accepted => ui.T("受理", "Accepted"),
        ReferralStatus.Declined => ui.T("辞退", "Declined"),
        _ => status,
    };

    /// <summary>
    /// The referrals and consents section of the child page, for the roles that may decide: the child's referrals with
    /// their answers, the form to send one, the consents with their withdrawal, and the form to record one.
    /// </summary>
    internal static Markup ChildSection(Ui ui, AccessPolicy policy, MimamoriDatabase db, ChildView view)
    {
        var user = ui.User!;
        if (!JudgementPages.MayDecide(policy, user))
        {
            return Markup.Empty;
        }

        var id = view.Person.PersonId;
        var store = new ReferralStore(db);
        var referrals = store.ReferralsOf(id);
        var consents = store.ConsentsOf(id);
        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        var destinations = Agencies.Internal.Where(a => a.Name != user.Organisation)
            .Concat(view.School is { } school && d.Allows(DataCategory.Education) ? [new Agency(school, Agencies.School)] : [])
            .Concat(Agencies.Partners).ToList();
        var sendable = ReferralField.All.Where(f => MaySend(d, f)).ToList();
        return H($"""
            <section id="referrals">
            <h2>{ui.T("関係機関への連携・紹介", "Referrals to other organisations")}</h2>
            {(referrals.Count == 0 ? H($"<p class=\"status\">{ui.T("連携・紹介の記録はありません。", "No referrals yet.")}</p>") : Table(ui, referrals, showChild: false))}
            <form method="post" action="/children/{id}/referrals" class="referral-form">
              {AntiforgeryCheck.Field(ui.Http)}
              <label>{ui.T("紹介先", "To")} <select name="to">{Each(destinations, a => H($"<option value=\"{a.Name}\">{a.Name}{If(a.IsOutsidePartner, H($"（{ui.T("外部・同意が必要", "outside partner, consent needed")}）"))}</option>"))}</select></label>
              <fieldset><legend>{ui.T("伝える項目（必要最小限）", "Fields passed on (the minimum needed)")}</legend>
              {Each(sendable, f => H($"<label><input type=\"checkbox\" name=\"fields\" value=\"{f}\"{If(f == ReferralField.Name, H($" checked"))}> {FieldLabel(ui, f)}</label> "))}
              </fieldset>
              <label>{ui.T("同意", "Consent")} <select name="consent"><option value="">{ui.T("なし（市の機関・学校・児童相談所）", "None (the city's own services, schools, 児童相談所)")}</option>
              {Each(consents.Where(c => c.InForce), c => H($"<option value=\"{c.ConsentId}\">#{c.ConsentId} {c.Partner}（{string.Join("・", c.Fields.Select(f => FieldLabel(ui, f)))}）</option>"))}</select></label><br>
              <label>{ui.T("理由（必須）", "Reason (required)")}<br><textarea name="reason" rows="3" cols="70" maxlength="{TextMaxLength}" required></textarea></label><br>
              <button type="submit">{ui.T("紹介する", "Send the referral")}</button>
            </form>
            <h3>{ui.T("外部の連携団体への提供の同意", "Consents to share with outside partners")}</h3>
            <table class="consents">
            <thead><tr><th>#</th><th>{ui.T("提供先", "Partner")}</th><th>{ui.T("目的", "Purpose")}</th><th>{ui.T("項目", "Fields")}</th><th>{ui.T("同意した人", "Given by")}</th><th>{ui.T("同意日", "Given on")}</th><th>{ui.T("記録者", "Recorded by")}</th><th>{ui.T("状態", "State")}</th></tr></thead>
            <tbody>{Each(consents, c => H($"""
                <tr class="consent{If(!c.InForce, H($" withdrawn"))}" data-consent="{c.ConsentId}">
                <td>{c.ConsentId}</td><td>{c.Partner}</td><td>{c.Purpose}</td><td>{string.Join("・", c.Fields.Select(f => FieldLabel(ui, f)))}</td><td>{c.GivenBy ?? "—"}</td><td>{Labels.Date(ui, c.GivenOn)}</td><td>{c.RecordedBy}</td>
                <td>{(c.InForce
                    ? H($"{ui.T("有効", "In force")}<form method=\"post\" action=\"/consents/{c.ConsentId}/withdraw\" class=\"consent-withdraw\">{AntiforgeryCheck.Field(ui.Http)}<input type=\"text\" name=\"reason\" required maxlength=\"500\" placeholder=\"{ui.T("撤回の理由", "Reason for withdrawal")}\"> <button type=\"submit\">{ui.T("撤回を記録", "Record withdrawal")}</button></form>")
                    : H($"{ui.T("撤回", "Withdrawn")} {When(ui, c.WithdrawnAt!.Value)}（{c.WithdrawnBy}：{c.WithdrawalReason}）"))}</td>
                </tr>
                """))}</tbody>
            </table>
            <details><summary>{ui.T("同意を記録する", "Record a consent")}</summary>
            <form method="post" action="/children/{id}/consents" class="consent-form">
              {AntiforgeryCheck.Field(ui.Http)}
              <label>{ui.T("提供先", "Partner")} <select name="partner">{Each(Agencies.Partners, a => H($"<option value=\"{a.Name}\">{a.Name}</option>"))}</select></label>
              <label>{ui.T("目的", "Purpose")} <input type="text" name="purpose" required maxlength="200"></label>
              <fieldset><legend>{ui.T("提供してよい項目", "Fields that may be shared")}</legend>
              {Each(ReferralField.All, f => H($"<label><input type=\"checkbox\" name=\"fields\" value=\"{f}\"> {FieldLabel(ui, f)}</label> "))}
              </fieldset>
              <label>{ui.T("同意した人（保護者・本人）", "Given by (guardian or the young person)")} <input type="text" name="given_by" required maxlength="100"></label>
              <label>{ui.T("同意日", "Given on")} <input type="date" name="given_on" required></label>
              <button type="submit">{ui.T("同意を記録", "Record the consent")}</button>
            </form>
            </details>
            </section>
            """);
    }

    private static bool MaySend(Disclosure.Disclosure d, string field) => field switch
    {
        ReferralField.Address or ReferralField.Guardian => d.Allows(DataCategory.Resident),
        ReferralField.School => d.Allows(DataCategory.Education),
        _ => true,
    };

    private static string? Value(ChildView view, string field) => field switch
    {
        ReferralField.Name => $"{view.Person.FamilyName} {view.Person.GivenName}（{view.Person.FamilyKana} {view.Person.GivenKana}）",
        ReferralField.BirthDate => view.Person.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ReferralField.Address => view.Person.Address,
        ReferralField.School => view.School,
        ReferralField.Guardian => string.Join("、", view.Household.Where(m => !m.IsChild).Select(m => $"{m.FamilyName} {m.GivenName}（{m.Relation}）")),
        _ => null,
    };

    private static Markup Table(Ui ui, IReadOnlyList<Referral> referrals, bool showChild, bool answerable = false) => H($"""
        <table class="referrals">
        <thead><tr><th>#</th><th>{ui.T("送付日時", "Sent")}</th><th>{ui.T("紹介元", "From")}</th><th>{ui.T("紹介先", "To")}</th><th>{ui.T("理由", "Reason")}</th><th>{ui.T("伝えた内容", "What was passed on")}</th><th>{ui.T("状態", "State")}</th></tr></thead>
        <tbody>{Each(referrals, r => H($"""
            <tr class="referral status-{r.Status}" data-referral="{r.ReferralId}">
            <td>{r.ReferralId}</td><td>{When(ui, r.SentAt)}</td><td>{r.FromOrg}<br><span class="note">{r.FromUser}</span></td><td>{r.ToOrg}</td><td class="reason">{r.Reason}</td>
            <td><dl class="referral-fields">{Each(ReferralField.All.Where(r.Fields.ContainsKey), f => H($"<dt>{FieldLabel(ui, f)}</dt><dd>{r.Fields[f]}</dd>"))}</dl>{If(showChild, Markup.Empty)}</td>
            <td class="state">{StatusLabel(ui, r.Status)}{(r.AnsweredAt is { } at ? H($"<br><span class=\"note\">{When(ui, at)} {r.AnsweredBy}：{r.AnswerReason}</span>") : Markup.Empty)}
            {If(answerable && r.Status == ReferralStatus.Sent, H($"""
                <form method="post" action="/referrals/{r.ReferralId}/answer" class="referral-answer">
                  {AntiforgeryCheck.Field(ui.Http)}
                  <label>{ui.T("理由", "Reason")} <input type="text" name="reason" required maxlength="500"></label>
                  <button type="submit" name="answer" value="accept">{ui.T("受理する", "Accept")}</button>
                  <button type="submit" name="answer" value="decline">{ui.T("辞退する", "Decline")}</button>
                </form>
                """))}</td>
            </tr>
            """))}</tbody>
        </table>
        """);

    private static string When(Ui ui, DateTimeOffset at)
    {
        var local = JapanTime.ToJapan(at);
        return Labels.Date(ui, DateOnly.FromDateTime(local.DateTime)) + " " + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static IResult Inbox(HttpContext http, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!Receives(user))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, "referrals", [], [], "denied");
            return Layout.Forbidden(ui, ui.T("この役割では連携・紹介を扱えません。", "Your role does not send or receive referrals."));
        }

        var store = new ReferralStore(db);
        var inbox = store.Inbox(user.Organisation);
        var sent = store.SentBy(user.Organisation);
        RecordListed(http, audit, user, inbox.Concat(sent));
        var body = H($"""
            <p>{ui.T("あなたの組織", "Your organisation")}: <strong>{user.Organisation}</strong>。{ui.T("受け取った紹介には、理由を添えて受理または辞退で回答してください。", "Answer each referral received: accept or decline, with a reason.")}</p>
            <h2>{ui.T("受け取った紹介", "Received")}（{ui.T("未回答", "unanswered")} <span class="unanswered">{inbox.Count(r => r.Status == ReferralStatus.Sent)}</span>）</h2>
            {(inbox.Count == 0 ? H($"<p>{ui.T("受け取った紹介はありません。", "Nothing received.")}</p>") : Table(ui, inbox, showChild: true, answerable: true))}
            <h2>{ui.T("送った紹介", "Sent")}</h2>
            {(sent.Count == 0 ? H($"<p>{ui.T("送った紹介はありません。", "Nothing sent.")}</p>") : Table(ui, sent, showChild: true))}
            """);
        return Layout.Page(ui, ui.T("連携・紹介", "Referrals"), body);
    }

    private static IResult InboxApi(HttpContext http, MimamoriDatabase db, AccessAudit audit)
    {
        var user = SignedInUser.Find(http.User)!;
        if (!Receives(user))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, "referrals", [], [], "denied");
            return Results.Json(new { error = "forbidden" }, statusCode: StatusCodes.Status403Forbidden);
        }

        var inbox = new ReferralStore(db).Inbox(user.Organisation);
        RecordListed(http, audit, user, inbox);
        return Results.Json(new
        {
            organisation = user.Organisation,
            unanswered = inbox.Count(r => r.Status == ReferralStatus.Sent),
            referrals = inbox.Select(r => new
            {
                referralId = r.ReferralId,
                from = r.FromOrg,
                sentAt = r.SentAt.ToString("O", CultureInfo.InvariantCulture),
                reason = r.Reason,
                fields = r.Fields,
                status = r.Status,
                answeredAt = r.AnsweredAt?.ToString("O", CultureInfo.InvariantCulture),
                answerReason = r.AnswerReason,
            }),
        });
    }

    // Each referral listed shows the fields sent with it: one audited event per child, under the casework purpose.
    private static void RecordListed(HttpContext http, AccessAudit audit, User user, IEnumerable<Referral> referrals)
    {
        var events = referrals.GroupBy(r => r.PersonId).Select(g => audit.Event(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, PlanPages.Subject(g.Key), [DataCategory.Resident], g.SelectMany(r => r.Fields.Keys).Append("referral"), "allowed")).ToList();
        events.Add(audit.Event(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, "referrals", [], [], "allowed"));
        audit.RecordAll(events);
    }

    private static async Task<IResult> Answer(long id, HttpContext http, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!Receives(user))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, "referral:" + id.ToString(CultureInfo.InvariantCulture), [], [], "denied");
            return Layout.Forbidden(ui, ui.T("この役割では連携・紹介を扱えません。", "Your role does not send or receive referrals."));
        }

        var store = new ReferralStore(db);
        var referral = store.Find(id);
        var subject = referral is null ? "referral:" + id.ToString(CultureInfo.InvariantCulture) : PlanPages.Subject(referral.PersonId);
        if (referral is null || referral.ToOrg != user.Organisation)
        {
            // Only the receiving organisation answers; another's referral is indistinguishable from none.
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "not_found_or_not_addressee");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("あなたの組織宛ての紹介ではありません。", "No such referral for your organisation.")}</p>"), StatusCodes.Status404NotFound);
        }

        var form = await http.Request.ReadFormAsync();
        var answer = form["answer"].ToString();
        var reason = form["reason"].ToString().Trim();
        if (answer is not ("accept" or "decline") || reason.Length is 0 or > 500)
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "rejected");
            return Layout.Page(ui, ui.T("回答を記録できませんでした", "The answer was not recorded"), H($"<p class=\"error\">{ui.T("受理か辞退かと、その理由を入力してください。", "Choose accept or decline and give the reason.")}</p><p><a href=\"/referrals\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        var done = store.Answer(id, answer == "accept", user.Name, reason, clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], ["referral.status", "referral.answer_reason"], (done ? answer + "ed:referral:" : "unchanged:referral:") + id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect("/referrals");
    }

    private static async Task<IResult> Send(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = PlanPages.Subject(id);
        if (Load(ui, policy, query, audit, clock, id, AuditAction.Disclose) is not { } loaded)
        {
            return Refusal(ui, policy);
        }

        var (d, view) = loaded;
        var form = await http.Request.ReadFormAsync();
        var to = Agencies.Of(form["to"].ToString().Trim(), view.School is { } s ? [s] : []);
        var fields = form["fields"].Select(f => f ?? string.Empty).Distinct().ToList();
        var reason = form["reason"].ToString().Trim();
        long? consent = long.TryParse(form["consent"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
        if (to.Name.Length is 0 or > 200 || to.Name == user.Organisation || reason.Length is 0 or > TextMaxLength || fields.Count == 0 || !fields.All(f => ReferralField.All.Contains(f) && MaySend(d, f)))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Disclose, subject, [], [], "rejected");
            return Rejected(ui, id, ui.T("紹介先・伝える項目・理由を確かめてください。", "Check the recipient, the fields and the reason."), StatusCodes.Status400BadRequest);
        }

        var values = fields.ToDictionary(f => f, f => Value(view, f) ?? "—");
        try
        {
            var sent = new ReferralStore(db).Send(new NewReferral(id, view.Person.HouseholdNo, user.Organisation, user.Name, to, reason, values, consent), clock.GetUtcNow());
            var categories = new List<string> { DataCategory.Resident };
            if (fields.Contains(ReferralField.School))
            {
                categories.Add(DataCategory.Education);
            }

            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Disclose, subject, categories, fields, $"disclosed:referral:{sent.ReferralId.ToString(CultureInfo.InvariantCulture)}:to:{to.Name}" + (sent.ConsentId is { } used ? ":consent:" + used.ToString(CultureInfo.InvariantCulture) : string.Empty));
        }
        catch (ConsentRequiredException)
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Disclose, subject, [], fields, "refused:no_consent:to:" + to.Name);
            return Rejected(ui, id, ui.T($"「{to.Name}」は外部の連携団体です。この団体とこれらの項目を対象とする有効な同意が記録されていないため、紹介できません。", $"'{to.Name}' is an outside partner: no consent in force covers it and these fields, so the referral was not sent."), StatusCodes.Status403Forbidden);
        }

        return Results.Redirect($"/children/{id}#referrals");
    }

    private static async Task<IResult> RecordConsent(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = PlanPages.Subject(id);
        if (Load(ui, policy, query, audit, clock, id, AuditAction.Change) is not { } loaded)
        {
            return Refusal(ui, policy);
        }

        var form = await http.Request.ReadFormAsync();
        var partner = form["partner"].ToString().Trim();
        var purpose = form["purpose"].ToString().Trim();
        var givenBy = form["given_by"].ToString().Trim();
        var fields = form["fields"].Select(f => f ?? string.Empty).Distinct().ToList();
        if (partner.Length is 0 or > 200 || purpose.Length is 0 or > 200 || givenBy.Length is 0 or > 100 || fields.Count == 0 || !fields.All(ReferralField.All.Contains)
            || PlanPages.ParseDay(form["given_on"]) is not { } givenOn || givenOn > JapanTime.Today(clock))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "rejected");
            return Rejected(ui, id, ui.T("提供先・目的・項目・同意した人・同意日（今日まで）を確かめてください。", "Check the partner, purpose, fields, who gave it and the date (today at the latest)."), StatusCodes.Status400BadRequest);
        }

        var consent = new ReferralStore(db).RecordConsent(new NewConsent(id, loaded.View.Person.HouseholdNo ?? string.Empty, partner, purpose, fields, givenBy, givenOn, user.Name));
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], ["consent"], "recorded:consent:" + consent.ConsentId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}#referrals");
    }

    private static async Task<IResult> WithdrawConsent(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new ReferralStore(db);
        var consent = store.FindConsent(id);
        if (consent?.PersonId is not { } personId || Load(ui, policy, query, audit, clock, personId, AuditAction.Change) is null)
        {
            if (consent?.PersonId is null)
            {
                audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, "consent:" + id.ToString(CultureInfo.InvariantCulture), [], [], "not_found_or_out_of_scope");
            }

            return Refusal(ui, policy);
        }

        var form = await http.Request.ReadFormAsync();
        var reason = form["reason"].ToString().Trim();
        if (reason.Length is 0 or > 500)
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(personId), [], [], "rejected");
            return Rejected(ui, personId, ui.T("撤回の理由を書いてください。", "Write the reason for the withdrawal."), StatusCodes.Status400BadRequest);
        }

        var done = store.WithdrawConsent(id, user.Name, reason, clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(personId), [], ["consent.withdrawn"], (done ? "withdrawn:consent:" : "unchanged:consent:") + id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{personId}#referrals");
    }

    /// <summary>
    /// The child for a casework write, or null (with the refusal audited) when the role may not decide or the child is
    /// not in the user's scope.
    /// </summary>
    private static (Disclosure.Disclosure Disclosure, ChildView View)? Load(Ui ui, AccessPolicy policy, ChildQuery query, AccessAudit audit, TimeProvider clock, long id, string action)
    {
        var user = ui.User!;
        var subject = PlanPages.Subject(id);
        if (!JudgementPages.MayDecide(policy, user))
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, action, subject, [], [], "denied");
            return null;
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        var view = query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories);
        if (view is null)
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, action, subject, [], [], "not_found_or_out_of_scope");
            return null;
        }

        return (d, view);
    }

    private static IResult Refusal(Ui ui, AccessPolicy policy) => JudgementPages.MayDecide(policy, ui.User!)
        ? Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当するものがないか、閲覧できる範囲の外です。", "Not found, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound)
        : Layout.Forbidden(ui, ui.T("紹介と同意の記録は、アクセス方針で判定が認められた役割（相談員・統括・保健師）のみが行えます。", "Only roles the access policy allows to decide (caseworkers, supervisors, public health nurses) may send referrals or record consents."));

    private static IResult Rejected(Ui ui, long personId, string problem, int status) =>
        Layout.Page(ui, ui.T("記録できませんでした", "Not recorded"), H($"<p class=\"error\">{problem}</p><p><a href=\"/children/{personId}#referrals\">{ui.T("戻る", "Back")}</a></p>"), status);
}
