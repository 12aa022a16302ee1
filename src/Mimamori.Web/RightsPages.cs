using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Rights;
using Mimamori.Support.Documents;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// A person's rights: the privacy officer records a request to see what is held (本人開示請求), with how the
/// requester's identity was checked, and gets everything held about the person as JSON and PDF — a draft to review for
/// information that must be withheld before release; correction requests are recorded against it. The legal basis
/// (the person's own request) is data in the policy: the officer sees a person's data only through a recorded request,
/// and every step is in the audit trail.
/// </summary>
public static class RightsPages
{
    /// <summary>The legal basis a recorded request gives.</summary>
    public const string RequestBasis = "appi_76_request";

    private static readonly HashSet<string> Held = new(StringComparer.Ordinal) { RequestBasis };

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maps <c>/rights</c> and the request pages under it.</summary>
    public static IEndpointRouteBuilder MapRightsPages(this IEndpointRouteBuilder app, byte[]? pdfFont, TimeProvider clock)
    {
        app.MapGet("/rights", (HttpContext http, AccessPolicy policy) => Form(Ui.For(http), policy, null)).RequireAuthorization();
        app.MapPost("/rights/disclosures", (HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit) => Receive(http, policy, db, audit, clock))
            .RequireAuthorization().RequireAntiforgeryToken();
        app.MapGet("/rights/disclosures/{id:long}", (HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit) => Show(http, id, policy, db, audit, pdfFont is not null))
            .RequireAuthorization();
        app.MapGet("/rights/disclosures/{id:long}/json", (HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit) => Export(http, id, policy, db, audit, "json", pdfFont))
            .RequireAuthorization();
        app.MapGet("/rights/disclosures/{id:long}/pdf", (HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit) => Export(http, id, policy, db, audit, "pdf", pdfFont))
            .RequireAuthorization();
        app.MapPost("/rights/disclosures/{id:long}/corrections", (HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit) => Correct(http, id, policy, db, audit, clock))
            .RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>The header link, for the roles that answer disclosure requests.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MayAnswer(AccessPolicy.Default, user)
            ? H($"<a href=\"/rights\">{ui.T("開示請求", "Disclosure requests")}</a>")
            : Markup.Empty;

    // Answering needs every category for the disclosure purpose once a request holds: a partial disclosure would
    // tell the person less than is held while looking complete.
    private static bool MayAnswer(AccessPolicy policy, User user) =>
        policy.DecideAll(user, "disclosure", Held).Values.All(d => d.IsAllowed);

    private static IResult Form(Ui ui, AccessPolicy policy, string? error)
    {
        if (!MayAnswer(policy, ui.User!))
        {
            return Layout.Forbidden(ui, ui.T("開示請求への対応は個人情報保護担当が行います。", "Disclosure requests are answered by the privacy officer."));
        }

        var today = DateTime.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var body = H($"""
            <p>{ui.T(
                "本人（または法定代理人）から開示の請求を受けたときに使います。請求を記録すると、その人について保有するすべての情報を JSON と PDF で作成します。作成したものは下書きです。通告者など第三者の情報や、開示により本人の利益を害するおそれのある情報がないかを確認してから交付してください。",
                "Use this when a person (or their legal representative) asks to see what is held. Recording the request produces everything held about the person as JSON and PDF. It is a draft: check it for information about third parties (such as who reported a concern) or information whose release could harm the person before handing it over.")}</p>
            {If(error is not null, H($"<p class=\"error\" role=\"alert\">{error}</p>"))}
            <form method="post" action="/rights/disclosures" class="entry">
              {AntiforgeryCheck.Field(ui.Http)}
              <label>{ui.T("本人の番号（見守りの番号）", "Person number (Mimamori id)")} <input name="person" required inputmode="numeric" pattern="[0-9]+"></label>
              <label>{ui.T("請求者の氏名", "Requester's name")} <input name="requester" required maxlength="100"></label>
              <label>{ui.T("本人との関係", "Relation to the person")}
                <select name="relation"><option value="本人">{ui.T("本人", "The person")}</option><option value="法定代理人">{ui.T("法定代理人（親権者など）", "Legal representative (e.g. parent)")}</option><option value="任意代理人">{ui.T("任意代理人（委任状）", "Appointed representative (power of attorney)")}</option></select></label>
              <label>{ui.T("本人確認の方法", "How identity was checked")} <input name="identity_check" required maxlength="200" placeholder="{ui.T("例: マイナンバーカードを窓口で確認", "e.g. My Number Card checked at the counter")}"></label>
              <label>{ui.T("受付日", "Received on")} <input type="date" name="received_on" required value="{today}"></label>
              <button type="submit">{ui.T("請求を記録して開示の下書きを作る", "Record the request and prepare the draft")}</button>
            </form>
            """);
        return Layout.Page(ui, ui.T("開示請求", "Disclosure requests"), body, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Receive(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayAnswer(policy, user))
        {
            return Layout.Forbidden(ui, ui.T("開示請求への対応は個人情報保護担当が行います。", "Disclosure requests are answered by the privacy officer."));
        }

        var form = await http.Request.ReadFormAsync().ConfigureAwait(false);
        var requester = form["requester"].ToString().Trim();
        var relation = form["relation"].ToString();
        var identityCheck = form["identity_check"].ToString().Trim();
        if (!long.TryParse(form["person"], NumberStyles.None, CultureInfo.InvariantCulture, out var personId))
        {
            return Form(ui, policy, ui.T("本人の番号は数字で入力してください。", "Enter the person number in digits."));
        }

        if (requester.Length == 0 || identityCheck.Length == 0 || relation is not ("本人" or "法定代理人" or "任意代理人"))
        {
            return Form(ui, policy, ui.T("請求者の氏名、本人との関係、本人確認の方法はすべて必要です。", "The requester's name, relation and the identity check are all required."));
        }

        if (!DateOnly.TryParseExact(form["received_on"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var receivedOn))
        {
            return Form(ui, policy, ui.T("受付日を正しく入力してください。", "Enter the date the request was received."));
        }

        var document = PersonDisclosure.Read(db, personId);
        if (document.Sections.Single(s => s.Name == "person").Rows.Count == 0)
        {
            return Form(ui, policy, ui.T($"番号 {personId} の人は登録されていません。", $"No person has the number {personId}."));
        }

        var request = new RightsStore(db).RecordDisclosure(personId, requester, relation, identityCheck, receivedOn, user.Name, clock.GetUtcNow());
        audit.Record(http, user, "disclosure", AuditAction.Disclose, Subject(personId), policy.Categories.Select(c => c.Id), ["request:" + request.RequestId.ToString(CultureInfo.InvariantCulture)], "allowed");
        return Results.Redirect($"/rights/disclosures/{request.RequestId}");
    }

    private static IResult Show(HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, bool pdfAvailable)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new RightsStore(db);
        if (!MayAnswer(policy, user) || store.FindDisclosure(id) is not { } request)
        {
            return Layout.Forbidden(ui, ui.T("この開示請求は表示できません。", "This disclosure request cannot be shown."));
        }

        var document = PersonDisclosure.Read(db, request.PersonId);
        audit.Record(http, user, "disclosure", AuditAction.View, Subject(request.PersonId), policy.Categories.Select(c => c.Id), ["request:" + id.ToString(CultureInfo.InvariantCulture)], "allowed");
        var corrections = store.Corrections(request.PersonId);
        var body = H($"""
            <dl>
              <dt>{ui.T("本人の番号", "Person number")}</dt><dd>{request.PersonId}</dd>
              <dt>{ui.T("請求者", "Requester")}</dt><dd>{request.Requester}（{request.Relation}）</dd>
              <dt>{ui.T("本人確認", "Identity check")}</dt><dd>{request.IdentityCheck}</dd>
              <dt>{ui.T("受付日", "Received on")}</dt><dd>{Kernel.Dates.Wareki.Format(DateOnly.ParseExact(request.ReceivedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture))}（{request.ReceivedOn}）</dd>
              <dt>{ui.T("作成者", "Prepared by")}</dt><dd>{request.PreparedBy}</dd>
            </dl>
            <p class="notice">{ui.T("下書きです。通告者など第三者の情報、開示により本人の利益を害するおそれのある情報がないか確認してから交付してください。", "This is a draft: check it for third-party information (such as who reported a concern) or information whose release could harm the person before handing it over.")}</p>
            <table class="disclosure">
            <thead><tr><th>{ui.T("保有している情報", "Information held")}</th><th>{ui.T("件数", "Rows")}</th></tr></thead>
            <tbody>{Each(document.Sections, s => H($"<tr><td>{ui.T(s.Ja, s.En)}</td><td class=\"num\">{s.Rows.Count}</td></tr>"))}</tbody>
            </table>
            <p><a href="/rights/disclosures/{id}/json" download>{ui.T("JSON をダウンロード", "Download JSON")}</a>
            {(pdfAvailable ? H($" | <a href=\"/rights/disclosures/{id}/pdf\" download>{ui.T("PDF をダウンロード", "Download PDF")}</a>") : H($" | <span class=\"meta\">{ui.T("PDF を作るには日本語フォントの設定が必要です（MIMAMORI_LETTER_FONT）。", "A Japanese font must be configured to produce the PDF (MIMAMORI_LETTER_FONT).")}</span>"))}</p>
            <h2>{ui.T("訂正の請求", "Requests for correction")}</h2>
            <ul>{Each(corrections, c => H($"<li>{c.Item}: 「{c.HeldValue}」→「{c.RequestedValue}」（{c.Reason}）— {c.Status}</li>"))}</ul>
            <form method="post" action="/rights/disclosures/{id}/corrections" class="entry">
              {AntiforgeryCheck.Field(http)}
              <label>{ui.T("項目", "Item")} <input name="item" required maxlength="100"></label>
              <label>{ui.T("保有している値", "Value held")} <input name="held_value" maxlength="500"></label>
              <label>{ui.T("訂正を求める値", "Value asked for")} <input name="requested_value" required maxlength="500"></label>
              <label>{ui.T("理由", "Reason")} <input name="reason" required maxlength="500"></label>
              <button type="submit">{ui.T("訂正の請求を記録する", "Record the correction request")}</button>
            </form>
            """);
        return Layout.Page(ui, ui.T($"開示請求 {id}", $"Disclosure request {id}"), body);
    }

    private static IResult Export(HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, string format, byte[]? pdfFont)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayAnswer(policy, user) || new RightsStore(db).FindDisclosure(id) is not { } request)
        {
            return Layout.Forbidden(ui, ui.T("この開示請求は表示できません。", "This disclosure request cannot be shown."));
        }

        if (format == "pdf" && pdfFont is null)
        {
            return Results.Problem("No Japanese font is configured (MIMAMORI_LETTER_FONT).", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var document = PersonDisclosure.Read(db, request.PersonId);
        audit.Record(http, user, "disclosure", AuditAction.Export, Subject(request.PersonId), policy.Categories.Select(c => c.Id), ["request:" + id.ToString(CultureInfo.InvariantCulture), "format:" + format], "allowed");
        var name = $"disclosure-{id}-person-{request.PersonId}";
        if (format == "json")
        {
            var json = new
            {
                request = new { id = request.RequestId, person_id = request.PersonId, requester = request.Requester, relation = request.Relation, identity_check = request.IdentityCheck, received_on = request.ReceivedOn, prepared_by = request.PreparedBy, prepared_at = request.PreparedAt },
                draft = true,
                sections = document.Sections.Select(s => new
                {
                    name = s.Name,
                    ja = s.Ja,
                    en = s.En,
                    rows = s.Rows.Select(r => s.Columns.Select((c, i) => (c, v: r[i])).ToDictionary(x => x.c, x => x.v, StringComparer.Ordinal)),
                }),
            };
            return Results.File(JsonSerializer.SerializeToUtf8Bytes(json, JsonOptions), "application/json; charset=utf-8", name + ".json");
        }

        var report = new DisclosureReport(
            "保有個人情報の開示（下書き）",
            $"本人の番号: {request.PersonId}　請求者: {request.Requester}（{request.Relation}）　本人確認: {request.IdentityCheck}",
            $"受付日: {Kernel.Dates.Wareki.Format(DateOnly.ParseExact(request.ReceivedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture))}　作成者: {request.PreparedBy}",
            "この文書は下書きです。交付の前に、第三者の情報（通告者など）や開示により本人の利益を害するおそれのある情報がないかを確認してください。",
            document.Sections.Select(s => new DisclosurePart(s.Ja, s.Columns, s.Rows, NeedsReview(s))).ToList());
        using var output = new MemoryStream();
        DisclosurePdf.Write(report, pdfFont!, output);
        return Results.File(output.ToArray(), "application/pdf", name + ".pdf");
    }

    // Child-welfare records and staff decisions can name a reporter or a third party; they are marked for review.
    private static bool NeedsReview(DisclosureSection section) =>
        section.Name is "judgement" or "need_assessment" or "need_score"
        || (section.Name is "source_record" or "fact" && section.Columns.ToList().IndexOf("category") is var c and >= 0
            && section.Rows.Any(r => r[c] is DataCategory.ChildWelfare or DataCategory.Medical));

    private static async Task<IResult> Correct(HttpContext http, long id, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new RightsStore(db);
        if (!MayAnswer(policy, user) || store.FindDisclosure(id) is not { } request)
        {
            return Layout.Forbidden(ui, ui.T("この開示請求は表示できません。", "This disclosure request cannot be shown."));
        }

        var form = await http.Request.ReadFormAsync().ConfigureAwait(false);
        var item = form["item"].ToString().Trim();
        var requested = form["requested_value"].ToString().Trim();
        var reason = form["reason"].ToString().Trim();
        if (item.Length == 0 || requested.Length == 0 || reason.Length == 0)
        {
            return Results.BadRequest(ui.T("項目、訂正を求める値、理由はすべて必要です。", "The item, the value asked for and the reason are all required."));
        }

        var correction = store.RecordCorrection(request.PersonId, id, item, form["held_value"].ToString().Trim(), requested, reason, user.Name, clock.GetUtcNow());
        audit.Record(http, user, "disclosure", AuditAction.Change, Subject(request.PersonId), [], ["correction:" + correction.CorrectionId.ToString(CultureInfo.InvariantCulture), item], "allowed");
        return Results.Redirect($"/rights/disclosures/{id}");
    }

    private static string Subject(long personId) => "person:" + personId.ToString(CultureInfo.InvariantCulture);
}
