using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
/// 要対協 registration tracking on the child page: registered (kind, date) and ended (date, reason), recorded by the
/// roles that may decide under <c>support_decision</c> and audited; the worklist filters on it (<c>?yotaikyo=</c>).
/// </summary>
public static class YotaikyoPages
{
    /// <summary>Maps the area's endpoints.</summary>
    public static IEndpointRouteBuilder MapYotaikyoPages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/children/{id:long}/yotaikyo", Register).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/yotaikyo/{id:long}/end", End).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>
    /// Who may see and record 要対協 registrations: a registration is child-welfare data, so only roles the policy lets
    /// see child welfare when deciding (not every role that decides: public health nurses decide on health alone).
    /// </summary>
    internal static bool MayTrack(AccessPolicy policy, User user) =>
        policy.Decide(user, DataCategory.ChildWelfare, JudgementPages.DecisionPurpose).IsAllowed;

    /// <summary>Name of a registration kind.</summary>
    internal static string KindLabel(Ui ui, string kind) => kind switch
    {
        YotaikyoKind.Protection => ui.T("要保護児童", "Child requiring protection"),
        YotaikyoKind.Support => ui.T("要支援児童", "Child requiring support"),
        YotaikyoKind.ExpectantMother => ui.T("特定妊婦", "Expectant mother requiring support"),
        _ => kind,
    };

    /// <summary>Name of a worklist filter value.</summary>
    internal static string FilterLabel(Ui ui, string filter) => filter switch
    {
        YotaikyoFilter.Registered => ui.T("要対協 登録中", "Registered with 要対協"),
        YotaikyoFilter.NotRegistered => ui.T("要対協 未登録", "Not registered with 要対協"),
        _ => filter,
    };

    /// <summary>The 要対協 section of the child page, for the roles that may decide.</summary>
    internal static Markup ChildSection(Ui ui, AccessPolicy policy, MimamoriDatabase db, ChildView view, DateOnly today)
    {
        var user = ui.User!;
        if (!MayTrack(policy, user))
        {
            return Markup.Empty;
        }

        var id = view.Person.PersonId;
        var store = new YotaikyoStore(db);
        var registrations = store.Of(id);
        var open = registrations.Any(r => r.IsOpen);
        var inData = store.RegisteredInLinkedData(id);
        var state = open || inData ? ui.T("登録中", "Registered") : ui.T("未登録", "Not registered");
        return H($"""
            <section id="yotaikyo">
            <h2>{ui.T("要対協（要保護児童対策地域協議会）", "要対協 (regional council for children requiring protection)")}</h2>
            <p class="yotaikyo-state">{ui.T("状態", "State")}: <strong>{state}</strong>{If(inData, H($" <span class=\"note\">{ui.T("（連携データに登録の記録があります）", "(the linked data record a registration)")}</span>"))}</p>
            {If(registrations.Count > 0, H($"""
                <table class="yotaikyo">
                <thead><tr><th>{ui.T("区分", "Kind")}</th><th>{ui.T("登録日", "Registered on")}</th><th>{ui.T("終結日", "Ended on")}</th><th>{ui.T("終結の理由", "Why it ended")}</th><th>{ui.T("記録者", "Recorded by")}</th></tr></thead>
                <tbody>{Each(registrations, r => H($"""
                    <tr class="registration{If(r.IsOpen, H($" open"))}" data-registration="{r.RegistrationId}">
                    <td>{KindLabel(ui, r.Kind)}</td><td>{Labels.Date(ui, r.RegisteredOn)}</td><td>{Labels.Date(ui, r.EndedOn)}</td><td>{r.EndReason ?? string.Empty}</td><td>{r.RecordedBy}</td>
                    </tr>
                    {If(r.IsOpen, H($"""
                        <tr><td colspan="5"><form method="post" action="/yotaikyo/{r.RegistrationId}/end" class="yotaikyo-end">
                          {AntiforgeryCheck.Field(ui.Http)}
                          <label>{ui.T("終結日", "Ended on")} <input type="date" name="ended_on" required value="{PlanPages.Day(today)}"></label>
                          <label>{ui.T("理由", "Reason")} <input type="text" name="reason" required maxlength="500"></label>
                          <button type="submit">{ui.T("終結を記録", "Record the end")}</button>
                        </form></td></tr>
                        """))}
                    """))}</tbody>
                </table>
                """))}
            {If(!open, H($"""
                <form method="post" action="/children/{id}/yotaikyo" class="yotaikyo-register">
                  {AntiforgeryCheck.Field(ui.Http)}
                  <label>{ui.T("区分", "Kind")} <select name="kind">{Each(YotaikyoKind.All, k => H($"<option value=\"{k}\">{KindLabel(ui, k)}</option>"))}</select></label>
                  <label>{ui.T("登録日", "Registered on")} <input type="date" name="registered_on" required value="{PlanPages.Day(today)}"></label>
                  <button type="submit">{ui.T("登録を記録", "Record the registration")}</button>
                </form>
                """))}
            </section>
            """);
    }

    private static async Task<IResult> Register(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (Refused(ui, policy, db, audit, id) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync();
        var kind = form["kind"].ToString();
        if (!YotaikyoKind.All.Contains(kind) || PlanPages.ParseDay(form["registered_on"]) is not { } on || on > JapanTime.Today(clock))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(id), [], [], "rejected");
            return Rejected(ui, id, ui.T("区分と登録日（今日まで）を確かめてください。", "Check the kind and the date (today at the latest)."));
        }

        try
        {
            var r = new YotaikyoStore(db).Register(id, kind, on, user.Name, clock.GetUtcNow());
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(id), [DataCategory.ChildWelfare], ["yotaikyo"], "recorded:yotaikyo:" + r.RegistrationId.ToString(CultureInfo.InvariantCulture));
        }
        catch (InvalidOperationException)
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(id), [], [], "rejected");
            return Rejected(ui, id, ui.T("すでに登録中です。", "Already registered."));
        }

        return Results.Redirect($"/children/{id}#yotaikyo");
    }

    private static async Task<IResult> End(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var form = await http.Request.ReadFormAsync();
        var store = new YotaikyoStore(db);
        var registration = FindRegistration(db, id);
        if (Refused(ui, policy, db, audit, registration?.PersonId) is { } refused)
        {
            return refused;
        }

        var reason = form["reason"].ToString().Trim();
        var child = registration!.PersonId;
        if (reason.Length is 0 or > 500 || PlanPages.ParseDay(form["ended_on"]) is not { } ended || ended > JapanTime.Today(clock) || !store.End(id, ended, reason, user.Name, clock.GetUtcNow()))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(child), [], [], "rejected");
            return Rejected(ui, child, ui.T("終結日（登録日から今日まで）と理由を確かめてください。", "Check the end date (between the registration and today) and the reason."));
        }

        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, PlanPages.Subject(child), [DataCategory.ChildWelfare], ["yotaikyo.ended_on", "yotaikyo.end_reason"], "ended:yotaikyo:" + id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{child}#yotaikyo");
    }

    private static YotaikyoRegistration? FindRegistration(MimamoriDatabase db, long registrationId)
    {
        using var connection = db.Open();
        var personId = Dapper.SqlMapper.ExecuteScalar<long?>(connection, "SELECT person_id FROM yotaikyo_registration WHERE registration_id = @registrationId", new { registrationId });
        return personId is { } p ? new YotaikyoStore(db).Of(p).SingleOrDefault(r => r.RegistrationId == registrationId) : null;
    }

    private static IResult? Refused(Ui ui, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, long? personId)
    {
        var user = ui.User!;
        var subject = personId is { } p ? PlanPages.Subject(p) : "yotaikyo";
        if (!MayTrack(policy, user))
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("要対協の登録は児童福祉の情報です。アクセス方針で判定のために児童福祉の情報の閲覧が認められた役割（相談員・統括）のみが記録できます。", "A 要対協 registration is child-welfare data: only roles the access policy allows child welfare for decisions (caseworkers, supervisors) may record it."));
        }

        if (personId is not { } id || !new WorklistQuery(db).InScope([id], user.Scope, new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).AllowedCategories).Contains(id))
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当するものがないか、閲覧できる範囲の外です。", "Not found, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        return null;
    }

    private static IResult Rejected(Ui ui, long personId, string problem) =>
        Layout.Page(ui, ui.T("記録できませんでした", "Not recorded"), H($"<p class=\"error\">{problem}</p><p><a href=\"/children/{personId}#yotaikyo\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
}
