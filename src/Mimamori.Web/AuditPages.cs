using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Access;
using Mimamori.Storage.Audit;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The audit trail for the privacy officer: search by person, user and dates ("who looked at this child, and why"),
/// with the hash chain checked on every visit. Reading the trail is itself recorded.
/// </summary>
public static class AuditPages
{
    /// <summary>Maps <c>/audit</c>.</summary>
    public static IEndpointRouteBuilder MapAuditPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", Show).RequireAuthorization();
        app.MapPost("/audit/break-glass/{id:long}/review", Review).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>The trail search read under the policy; null when the role may not read the trail (audited).</summary>
    internal static (AuditQuery Query, IReadOnlyList<AuditEvent> Events, long? BrokenAt, long Count)? Read(HttpContext http, User user, AccessPolicy policy, AuditLog log, AccessAudit audit)
    {
        var q = http.Request.Query;
        var subject = q["subject"].ToString().Trim();
        if (long.TryParse(subject, NumberStyles.None, CultureInfo.InvariantCulture, out var personId))
        {
            subject = "person:" + personId.ToString(CultureInfo.InvariantCulture);
        }

        var query = new AuditQuery(
            subject.Length == 0 ? null : subject,
            q["user"].ToString().Trim() is { Length: > 0 } u ? u : null,
            DateOnly.TryParseExact(q["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from : null,
            DateOnly.TryParseExact(q["to"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) ? to : null);
        var criteria = new[] { "subject=" + query.Subject, "user=" + query.User, "from=" + query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "to=" + query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        if (!policy.ReadsAuditTrail(user))
        {
            audit.Record(http, user, Purpose.Audit, AuditAction.Search, "audit", [], criteria, "denied");
            return null;
        }

        audit.Record(http, user, Purpose.Audit, AuditAction.Search, "audit", [], criteria, "allowed");
        var (brokenAt, count) = log.VerifyForDisplay(DateTimeOffset.UtcNow);
        return (query, log.Query(query), brokenAt, count);
    }

    private static IResult Show(HttpContext http, AccessPolicy policy, AuditLog log, AccessAudit audit, BreakGlassGrants grants)
    {
        var ui = Ui.For(http);
        var reading = Read(http, ui.User!, policy, log, audit);
        if (reading is null)
        {
            return Layout.Forbidden(ui, ui.T("アクセス記録は個人情報保護担当のみが閲覧できます。", "Only the privacy officer may read the audit trail."));
        }

        var (query, events, brokenAt, count) = reading.Value;
        var chain = brokenAt is null
            ? H($"<p class=\"ok chain\">{ui.T($"改ざん検知: 正常（{count}件の記録の連鎖を確認しました）", $"Tamper check: intact ({count} entries verified)")}</p>")
            : H($"<p class=\"error chain\">{ui.T($"改ざん検知: 記録 {brokenAt} で連鎖が途切れています。記録が変更または削除された可能性があります。", $"Tamper check: the chain breaks at entry {brokenAt}; entries may have been changed or deleted.")}</p>");
        var body = H($"""
            {chain}
            {BreakGlassUses(ui, policy, grants.Recent())}
            <form class="filters" method="get" action="/audit">
              <label>{ui.T("対象（こどもの番号 または person:番号）", "Subject (person id or person:id)")} <input name="subject" value="{query.Subject}"></label>
              <label>{ui.T("利用者", "User")} <input name="user" value="{query.User}"></label>
              <label>{ui.T("開始日", "From")} <input type="date" name="from" value="{query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"></label>
              <label>{ui.T("終了日", "To")} <input type="date" name="to" value="{query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"></label>
              <button type="submit">{ui.T("検索", "Search")}</button>
            </form>
            <p class="count">{ui.T($"{events.Count}件（新しい順）", $"{events.Count} entries, newest first")}</p>
            <table class="audit">
            <thead><tr><th>#</th><th>{ui.T("日時", "When")}</th><th>{ui.T("利用者", "User")}</th><th>{ui.T("役割", "Role")}</th><th>{ui.T("所属", "Organisation")}</th><th>{ui.T("目的", "Purpose")}</th><th>{ui.T("操作", "Action")}</th><th>{ui.T("対象", "Subject")}</th><th>{ui.T("表示した区分", "Categories shown")}</th><th>{ui.T("結果", "Outcome")}</th><th>{ui.T("端末", "Client")}</th></tr></thead>
            <tbody>{Each(events, e => Row(ui, policy, e))}</tbody>
            </table>
            """);
        return Layout.Page(ui, ui.T("アクセス記録", "Audit trail"), body);
    }

    // Every emergency access is an alert to the privacy officer: listed here, unreviewed first, until reviewed with a reason.
    private static Markup BreakGlassUses(Ui ui, AccessPolicy policy, IReadOnlyList<BreakGlassGrant> uses)
    {
        var open = uses.Count(g => !g.Reviewed);
        return H($"""
            <section id="break-glass" class="break-glass-uses">
            <h2>{ui.T("緊急時の閲覧（ブレークグラス）", "Emergency access (break-glass)")}</h2>
            {(open > 0 ? H($"<p class=\"alert break-glass-alert\" role=\"alert\">{ui.T($"未確認の緊急時の閲覧が{open}件あります。", $"{open} emergency access(es) await review.")}</p>") : H($"<p class=\"ok\">{ui.T("未確認の緊急時の閲覧はありません。", "No emergency access awaits review.")}</p>"))}
            {(uses.Count == 0 ? Markup.Empty : H($"""
                <table class="break-glass">
                <thead><tr><th>#</th><th>{ui.T("利用者", "User")}</th><th>{ui.T("役割・所属", "Role, organisation")}</th><th>{ui.T("対象", "Subject")}</th><th>{ui.T("理由", "Reason")}</th><th>{ui.T("開始", "Opened")}</th><th>{ui.T("期限", "Expires")}</th><th>{ui.T("確認", "Review")}</th></tr></thead>
                <tbody>{Each(uses, g => H($"<tr class=\"break-glass-use\" data-grant=\"{g.GrantId}\"><td>{g.GrantId}</td><td>{g.UserName}</td><td>{RoleName(ui, policy, g.Role)}・{g.Organisation}</td><td><a href=\"/audit?subject={g.PersonId}\">person:{g.PersonId}</a></td><td class=\"reason\">{g.Reason}</td><td>{ChildPages.When(ui, g.GrantedAt)}</td><td>{ChildPages.When(ui, g.ExpiresAt)}</td><td>{ReviewCell(ui, g)}</td></tr>"))}</tbody>
                </table>
                """))}
            </section>
            """);
    }

    private static string RoleName(Ui ui, AccessPolicy policy, string role) => policy.FindRole(role) is { } r ? ui.T(r.Ja, r.En) : role;

    private static Markup ReviewCell(Ui ui, BreakGlassGrant g) => g.Reviewed
        ? H($"<span class=\"reviewed\">{ui.T("確認済み", "Reviewed")}（{g.ReviewedBy}、{ChildPages.When(ui, g.ReviewedAt!)}）: {g.ReviewNote}</span>")
        : H($"""
            <form method="post" action="/audit/break-glass/{g.GrantId}/review" class="review">{AntiforgeryCheck.Field(ui.Http)}
            <label for="review-{g.GrantId}">{ui.T("確認の所見（必須）", "Review note (required)")}</label>
            <input id="review-{g.GrantId}" name="note" required>
            <button type="submit">{ui.T("確認済みにする", "Mark reviewed")}</button>
            </form>
            """);

    private static async Task<IResult> Review(long id, HttpContext http, AccessPolicy policy, BreakGlassGrants grants, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "break_glass:" + id.ToString(CultureInfo.InvariantCulture);
        if (!policy.ReadsAuditTrail(user))
        {
            audit.Record(http, user, Purpose.Audit, AuditAction.Review, subject, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("緊急時の閲覧の確認は個人情報保護担当のみが行えます。", "Only the privacy officer reviews emergency access."));
        }

        var note = (await http.Request.ReadFormAsync())["note"].ToString().Trim();
        if (note.Length == 0)
        {
            return Layout.Page(ui, ui.T("確認できませんでした", "Not reviewed"), H($"<p class=\"error\">{ui.T("確認の所見を書いてください。", "Write the review note.")}</p><p><a href=\"/audit#break-glass\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        if (!grants.Review(id, user.Name, note, clock.GetUtcNow()))
        {
            audit.Record(http, user, Purpose.Audit, AuditAction.Review, subject, [], [], "not_found_or_already_reviewed");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("この緊急時の閲覧はないか、確認済みです。", "No such emergency access, or already reviewed.")}</p>"), StatusCodes.Status404NotFound);
        }

        audit.Record(http, user, Purpose.Audit, AuditAction.Review, subject, [], ["review_note"], "reviewed");
        return Results.Redirect("/audit#break-glass");
    }

    private static Markup Row(Ui ui, AccessPolicy policy, AuditEvent e)
    {
        var at = JapanTime.ToJapan(e.At);
        var when = Labels.Date(ui, DateOnly.FromDateTime(at.DateTime)) + " " + at.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var purpose = policy.FindPurpose(e.Purpose) is { } p ? ui.T(p.Ja, p.En) : e.Purpose;
        var role = policy.FindRole(e.Role) is { } r ? ui.T(r.Ja, r.En) : e.Role;
        var categories = string.Join(ui.T("、", ", "), e.Categories.Select(c => policy.FindCategory(c) is { } dc ? ui.T(dc.Ja, dc.En) : c));
        return H($"<tr class=\"audit-event\"><td>{e.Seq}</td><td>{when}</td><td>{e.User}</td><td>{role}</td><td>{e.Organisation}</td><td>{purpose}</td><td>{e.Action}</td><td>{e.Subject}</td><td>{categories}</td><td>{e.Outcome}</td><td>{e.Client}</td></tr>");
    }
}
