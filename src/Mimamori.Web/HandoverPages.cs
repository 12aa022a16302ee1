using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Handover;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>Where the installation's hand-over keys are (<c>DATA/handover</c>); null when none is configured.</summary>
public sealed record HandoverSettings(HandoverKeyFolder? Folder);

/// <summary>
/// 転出時の引継ぎ: when a family under support moves to another municipality, a caseworker sees exactly the fields
/// that will go, chooses the legal basis (or the family's recorded consent) and the receiving municipality from the
/// registered public keys, and downloads one encrypted, signed package. Without a basis nothing is produced. Every
/// package is an audit event (disclose, purpose <c>handover</c>) naming the recipient. On the receiving side, the
/// packages imported with <c>mimamori handover import</c> are listed for the caseworkers, who link each to a child.
/// </summary>
public static class HandoverPages
{
    private const int TextMaxLength = 300;

    // A consent to hand over names the identity fields a referral consent knows; the support fields go with them.
    private static readonly string[] ConsentFields = [ReferralField.Name, ReferralField.BirthDate, ReferralField.Address, ReferralField.Guardian];

    /// <summary>Maps the area's endpoints.</summary>
    public static IEndpointRouteBuilder MapHandoverPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/children/{id:long}/handover", Show).RequireAuthorization();
        app.MapPost("/children/{id:long}/handover", Produce).RequireAuthorization().RequireAntiforgeryToken();
        app.MapGet("/handover/received", Received).RequireAuthorization();
        app.MapPost("/handover/received/{id:long}/link", Link).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>True when the policy lets the user hand a child over: every category the package carries is allowed.</summary>
    internal static bool MayHandOver(AccessPolicy policy, User user) =>
        Categories.All(c => policy.Decide(user, c, Purpose.Handover).IsAllowed);

    /// <summary>The categories a package carries: identity and address (resident), and the support (child welfare).</summary>
    internal static IReadOnlyList<string> Categories { get; } = [DataCategory.Resident, DataCategory.ChildWelfare];

    /// <summary>The link to the received hand-overs in the page header, for city-wide users who may hand over.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && user.Scope.Kind == ScopeKind.All && MayHandOver(AccessPolicy.Default, user)
            ? H($"<a href=\"/handover/received\">{ui.T("受け入れた引継ぎ", "Hand-overs received")}</a>")
            : Markup.Empty;

    /// <summary>The action on the child page.</summary>
    internal static Markup ChildLink(Ui ui, AccessPolicy policy, long personId) =>
        ui.User is { } user && MayHandOver(policy, user)
            ? H($"<p class=\"handover-link\"><a href=\"/children/{personId}/handover\">{ui.T("転出時の引継ぎ", "Hand-over when the family moves out")}</a></p>")
            : Markup.Empty;

    private static IResult Show(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock, HandoverSettings settings)
    {
        var ui = Ui.For(http);
        if (Load(ui, policy, query, audit, clock, id, AuditAction.View) is not { } view)
        {
            return Refusal(ui, policy);
        }

        var user = ui.User!;
        var export = new HandoverExport(db, policy);
        var preview = export.Preview(id, Contact(user, string.Empty), null, clock.GetUtcNow())!;
        audit.Record(http, user, Purpose.Handover, AuditAction.View, PlanPages.Subject(id), Categories, HandoverContent.Fields, "allowed");
        var recipients = settings.Folder?.Recipients() ?? [];
        var consents = new ReferralStore(db).ConsentsOf(id).Where(c => c.InForce).ToList();
        var ready = settings.Folder?.HasOwnKey == true && recipients.Count > 0;
        var body = H($"""
            <p class="notice">{ui.T("利用目的", "Purpose")}: {ui.T(policy.Purpose(Purpose.Handover).Ja, policy.Purpose(Purpose.Handover).En)}。{ui.T("下の項目だけが、転出先の市区町村だけが開ける形で暗号化され、この市の署名を付けて書き出されます。作成は記録されます。", "Only the fields below are written, encrypted so that only the receiving municipality can open them and signed by this city. Producing the package is recorded.")}</p>
            <p>{ui.T("送らないもの", "Not sent")}: {ui.T("スコア・モデルの説明・元データの記録・税の情報・相談記録の本文", "scores, model explanations, source records, tax values, consultation notes")}</p>
            {Preview(ui, preview)}
            {(ready ? Form(ui, id, export, recipients, consents, preview) : H($"<p class=\"error no-keys\">{ui.T("引継ぎの鍵が設定されていません。管理者が `mimamori handover keygen --out DATA/handover` で鍵を作り、転出先の公開鍵を DATA/handover/recipients/ に置くと作成できます。", "No hand-over keys are set up. The administrator makes this city's keys with `mimamori handover keygen --out DATA/handover` and puts partner municipalities' public keys in DATA/handover/recipients/.")}</p>"))}
            <p><a href="/children/{id}">{ui.T("こどもの画面に戻る", "Back to the child")}</a></p>
            """);
        return Layout.Page(ui, ui.T($"転出時の引継ぎ：{view.Person.FamilyName} {view.Person.GivenName}", $"Hand-over: {view.Person.FamilyName} {view.Person.GivenName}"), body);
    }

    private static async Task<IResult> Produce(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock, HandoverSettings settings)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = PlanPages.Subject(id);
        if (Load(ui, policy, query, audit, clock, id, AuditAction.Disclose) is null)
        {
            return Refusal(ui, policy);
        }

        var form = await http.Request.ReadFormAsync();
        var recipientFile = form["recipient"].ToString();
        var contact = form["contact"].ToString().Trim();
        var newAddress = form["new_address"].ToString().Trim();
        var basisId = form["basis"].ToString();
        long? consent = long.TryParse(form["consent"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
        var recipient = settings.Folder?.Recipients().FirstOrDefault(r => r.File == recipientFile);
        if (recipient is null || settings.Folder?.HasOwnKey != true || contact.Length is 0 or > TextMaxLength || newAddress.Length > TextMaxLength)
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Disclose, subject, [], [], "rejected");
            return Rejected(ui, id, ui.T("転出先と、担当者の連絡先を確かめてください。", "Check the receiving municipality and your contact details."), StatusCodes.Status400BadRequest);
        }

        var request = new HandoverRequest(id, basisId, consent, recipient.Key.Municipality, Contact(user, contact), newAddress.Length == 0 ? null : newAddress);
        string package;
        HandoverContent content;
        try
        {
            using var own = settings.Folder.OwnKey();
            (content, package) = new HandoverExport(db, policy).Produce(request, own, recipient.Key, clock.GetUtcNow());
        }
        catch (HandoverRefusedException e)
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Disclose, subject, [], [], $"refused:{e.Code}:to:{recipient.Key.Municipality}");
            var why = e.Code switch
            {
                "no_consent" => ui.T($"同意を根拠にするには、このこどもについて「{recipient.Key.Municipality}」への提供に同意した記録（有効なもの）が必要です。", $"Consent as the basis needs a recorded consent in force, for this child, naming {recipient.Key.Municipality}."),
                "not_registered" => ui.T("児童福祉法第25条の2（要対協での情報共有）は、要対協に登録中のこどもにだけ使えます。", "Child Welfare Act art. 25-2 (要対協 sharing) applies only to a child registered with the 要対協."),
                _ => ui.T("法的根拠を選んでください。根拠または同意がなければ引継ぎは作成できません。", "Choose the legal basis: without a basis or a consent no hand-over is produced."),
            };
            return Rejected(ui, id, why, StatusCodes.Status403Forbidden);
        }
        catch (HandoverException)
        {
            // This city's own key is damaged or unreadable: nothing was produced, and the administrator must look.
            audit.Record(http, user, Purpose.Handover, AuditAction.Disclose, subject, [], [], "failed:key");
            return Rejected(ui, id, ui.T("この市の引継ぎ用の鍵を読めません。管理者に連絡してください。", "This city's hand-over key cannot be read; contact the administrator."), StatusCodes.Status503ServiceUnavailable);
        }

        audit.Record(
            http,
            user,
            Purpose.Handover,
            AuditAction.Disclose,
            subject,
            Categories,
            HandoverContent.Fields,
            $"disclosed:handover:to:{recipient.Key.Municipality}:key:{recipient.Key.Fingerprint}:basis:{content.Basis.Id}" + (content.Basis.ConsentId is { } used ? ":consent:" + used.ToString(CultureInfo.InvariantCulture) : string.Empty));
        var name = string.Create(CultureInfo.InvariantCulture, $"handover-{id}-{JapanTime.Today(clock):yyyyMMdd}.json");
        return Results.File(Encoding.UTF8.GetBytes(package), "application/json", name);
    }

    private static IResult Received(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayHandOver(policy, user) || user.Scope.Kind != ScopeKind.All)
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Search, "handover:received", [], [], "denied");
            return Layout.Forbidden(ui, ui.T("受け入れた引継ぎは、市全体を担当する相談員・統括が扱います。", "Hand-overs received are handled by caseworkers and supervisors with a city-wide scope."));
        }

        var store = new HandoverStore(db);
        var all = store.All();
        var events = all.Select(h => audit.Event(http, user, Purpose.Handover, AuditAction.Search, "handover:" + h.HandoverId.ToString(CultureInfo.InvariantCulture), Categories, HandoverContent.Fields, "allowed")).ToList();
        events.Add(audit.Event(http, user, Purpose.Handover, AuditAction.Search, "handover:received", [], [], "allowed"));
        audit.RecordAll(events);
        var body = H($"""
            <p>{ui.T("他の市区町村から受け取り、`mimamori handover import` で取り込んだ引継ぎです。生年月日と氏名（または読み）が同じ方を候補として示します。同じこどもか確かめてから結び付けてください。", "Hand-overs received from other municipalities and imported with `mimamori handover import`. People with the same birth date and name (or reading) are shown as candidates: check that it is the same child before linking.")}</p>
            {(all.Count == 0 ? H($"<p class=\"status\">{ui.T("受け入れた引継ぎはありません。", "No hand-overs received.")}</p>") : Each(all, h => ReceivedItem(ui, store, h)))}
            """);
        return Layout.Page(ui, ui.T("受け入れた引継ぎ", "Hand-overs received"), body);
    }

    private static async Task<IResult> Link(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "handover:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayHandOver(policy, user) || user.Scope.Kind != ScopeKind.All)
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Change, subject, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("受け入れた引継ぎは、市全体を担当する相談員・統括が扱います。", "Hand-overs received are handled by caseworkers and supervisors with a city-wide scope."));
        }

        var store = new HandoverStore(db);
        var form = await http.Request.ReadFormAsync();
        if (store.Find(id) is not { } handover)
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Change, subject, [], [], "not_found");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する引継ぎはありません。", "No such hand-over.")}</p>"), StatusCodes.Status404NotFound);
        }

        // Only a candidate the page offered may be linked: the same birth date and name or reading.
        var candidates = store.Candidates(handover.Content.Child);
        if (!long.TryParse(form["person"], NumberStyles.None, CultureInfo.InvariantCulture, out var personId) || candidates.All(p => p.PersonId != personId))
        {
            audit.Record(http, user, Purpose.Handover, AuditAction.Change, subject, [], [], "rejected");
            return Layout.Page(ui, ui.T("結び付けられませんでした", "Not linked"), H($"<p class=\"error\">{ui.T("候補の中から選んでください。", "Choose one of the candidates.")}</p><p><a href=\"/handover/received\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        var done = store.Link(id, personId, user.Name, clock.GetUtcNow());
        audit.Record(http, user, Purpose.Handover, AuditAction.Change, subject, [], ["handover_received.person_id"], (done ? "linked:" : "unchanged:") + PlanPages.Subject(personId));
        return Results.Redirect("/handover/received");
    }

    private static Markup ReceivedItem(Ui ui, HandoverStore store, ReceivedHandover h)
    {
        var candidates = h.Status == HandoverStatus.New ? store.Candidates(h.Content.Child) : [];
        var c = h.Content;
        return H($"""
            <section class="handover-received status-{h.Status}" data-handover="{h.HandoverId}">
            <h2>#{h.HandoverId} {c.Child.FamilyName} {c.Child.GivenName}（{c.Child.FamilyKana} {c.Child.GivenKana}）</h2>
            <p>{ui.T("送り元", "From")}: <strong>{h.Sender}</strong>（{ui.T("鍵", "key")} {h.SenderKey}{(h.SenderVerified ? H($"・{ui.T("登録済みの鍵で確認", "checked against a registered key")}") : H($"・<span class=\"warning\">{ui.T("送り元の鍵を指定せずに取り込み：電話で指紋を確認してください", "imported without the sender's key file: confirm the fingerprint by phone")}</span>"))}）
            {ui.T("取込", "Imported")}: {When(ui, h.ReceivedAt)}（{h.ReceivedBy}）</p>
            <p class="state">{(h.Status == HandoverStatus.Linked && h.PersonId is { } linked
                ? H($"{ui.T("結び付け済み", "Linked")}: <a href=\"/children/{linked}\">{ui.T("こどもの画面", "the child's page")}</a>（{h.LinkedBy}）")
                : candidates.Count == 0
                    ? H($"{ui.T("この市に該当する方は見つかりません（転入の届出がまだの可能性があります）。", "Nobody in this city matches yet (the move-in may not be registered yet).")}")
                    : H($"""
                        {ui.T("候補", "Candidates")}:
                        {Each(candidates, p => H($"""
                            <form method="post" action="/handover/received/{h.HandoverId}/link" class="inline handover-link-form">{AntiforgeryCheck.Field(ui.Http)}<input type="hidden" name="person" value="{p.PersonId}">
                            <a href="/children/{p.PersonId}">{p.FamilyName} {p.GivenName}（{p.FamilyKana} {p.GivenKana}）{Labels.Date(ui, Day(p.BirthDate))}</a> <button type="submit">{ui.T("このこどもに結び付ける", "Link to this child")}</button></form>
                            """))}
                        """))}</p>
            <details><summary>{ui.T("引継ぎの内容", "What was handed over")}</summary>{Preview(ui, c)}</details>
            </section>
            """);
    }

    // The content exactly as it goes (or came), field by field.
    private static Markup Preview(Ui ui, HandoverContent c) => H($"""
        <table class="handover-fields">
        <tbody>
        <tr><th scope="row">{ui.T("こども", "Child")}</th><td>{c.Child.FamilyName} {c.Child.GivenName}（{c.Child.FamilyKana} {c.Child.GivenKana}）・{Labels.Date(ui, Day(c.Child.BirthDate))}・{Labels.Sex(ui, c.Child.Sex)}</td></tr>
        <tr><th scope="row">{ui.T("保護者（同じ世帯の大人）", "Guardians (adults of the household)")}</th><td>{(c.Guardians.Count == 0 ? H($"—") : Each(c.Guardians, g => H($"<div>{g.FamilyName} {g.GivenName}（{g.FamilyKana} {g.GivenKana}）・{Labels.Date(ui, Day(g.BirthDate))}・{Labels.Sex(ui, g.Sex)}・{g.Relation}</div>")))}</td></tr>
        <tr><th scope="row">{ui.T("転出", "Move")}</th><td>{ui.T("転出日", "Moved out on")} {Labels.Date(ui, Day(c.Move.MovedOutOn))}・{ui.T("転出先", "New address")} <span class="new-address">{c.Move.NewAddress ?? ui.T("不明", "unknown")}</span></td></tr>
        <tr><th scope="row">{ui.T("要対協", "要対協")}</th><td>{(c.Yotaikyo.Registered ? ui.T("登録中", "Registered") + (c.Yotaikyo.Kind is { } k ? "（" + YotaikyoPages.KindLabel(ui, k) + "・" + Labels.Date(ui, Day(c.Yotaikyo.RegisteredOn)) + "）" : string.Empty) : ui.T("未登録", "Not registered"))}</td></tr>
        <tr><th scope="row">{ui.T("支援計画（実施中）", "Support plans (active)")}</th><td>{(c.Plans.Count == 0 ? H($"—") : Each(c.Plans, p => H($"<div>{ui.T("目標", "Goals")}: {p.Goals}／{ui.T("支援", "Services")}: {p.Services}／{ui.T("担当機関", "Agency")}: {p.Agency}／{ui.T("見直し", "Review")}: {Labels.Date(ui, Day(p.ReviewOn))}</div>")))}</td></tr>
        <tr><th scope="row">{ui.T("未完了のタスク", "Open tasks")}</th><td>{(c.OpenTasks.Count == 0 ? H($"—") : Each(c.OpenTasks, t => H($"<div>{t.Title}（{ui.T("期限", "due")} {Labels.Date(ui, Day(t.DueOn))}）</div>")))}</td></tr>
        <tr><th scope="row">{ui.T("最新の判定と理由", "Latest decision and reasons")}</th><td>{(c.LatestDecision is { } d ? H($"{JudgementPages.DecisionLabel(ui, d.Decision)}（{Labels.Date(ui, Day(d.DecidedOn))}）：<span class=\"reasons\">{d.Reasons}</span>") : H($"—"))}</td></tr>
        <tr><th scope="row">{ui.T("送り元の担当者", "Sending caseworker")}</th><td>{c.Caseworker.Name}・{c.Caseworker.Organisation}{If(c.Caseworker.Contact.Length > 0, H($"・{c.Caseworker.Contact}"))}</td></tr>
        {If(c.Basis.Id.Length > 0, H($"<tr><th scope=\"row\">{ui.T("根拠", "Basis")}</th><td>{c.Basis.Ja}{If(c.Basis.ConsentId is not null, H($"（{ui.T("同意", "consent")} #{c.Basis.ConsentId}・{c.Basis.ConsentGivenBy}・{c.Basis.ConsentGivenOn}）"))}</td></tr>"))}
        </tbody>
        </table>
        """);

    private static Markup Form(Ui ui, long id, HandoverExport export, IReadOnlyList<HandoverRecipient> recipients, IReadOnlyList<Consent> consents, HandoverContent preview) => H($"""
        <form method="post" action="/children/{id}/handover" class="handover-form">
          {AntiforgeryCheck.Field(ui.Http)}
          <label>{ui.T("転出先の市区町村（登録済みの公開鍵）", "Receiving municipality (registered public keys)")}
            <select name="recipient" required>{Each(recipients, r => H($"<option value=\"{r.File}\">{r.Key.Municipality}（{ui.T("鍵", "key")} {r.Key.Fingerprint}）</option>"))}</select></label><br>
          <fieldset><legend>{ui.T("根拠（必須）", "Basis (required)")}</legend>
          {Each(export.Bases, b => H($"<label class=\"basis\"><input type=\"radio\" name=\"basis\" value=\"{b.Id}\"> {ui.T(b.Ja, b.En)}</label><br>"))}
          <label>{ui.T("同意を根拠にする場合の同意記録（転出先の名前で記録されたもの）", "The consent, when consent is the basis (recorded naming the receiving municipality)")}
            <select name="consent"><option value="">—</option>{Each(consents, c => H($"<option value=\"{c.ConsentId}\">#{c.ConsentId} {c.Partner}・{c.GivenBy}・{Labels.Date(ui, c.GivenOn)}</option>"))}</select></label>
          </fieldset>
          <label>{ui.T("転出先の住所（住民記録にない場合）", "New address (when the registry does not hold it)")} <input type="text" name="new_address" maxlength="{TextMaxLength}" value="{preview.Move.NewAddress ?? string.Empty}"></label><br>
          <label>{ui.T("担当者の連絡先（電話・メール、必須）", "Your contact (phone or e-mail, required)")} <input type="text" name="contact" maxlength="{TextMaxLength}" required></label><br>
          <button type="submit">{ui.T("引継ぎパッケージを作成してダウンロード", "Produce and download the hand-over package")}</button>
        </form>
        <details><summary>{ui.T("転出先への提供について家族の同意を記録する", "Record the family's consent to hand over to the receiving municipality")}</summary>
        <form method="post" action="/children/{id}/consents" class="consent-form handover-consent">
          {AntiforgeryCheck.Field(ui.Http)}
          <input type="hidden" name="purpose" value="{ui.T("転出時の引継ぎ", "Hand-over when the family moves out")}">
          {Each(ConsentFields, f => H($"<input type=\"hidden\" name=\"fields\" value=\"{f}\">"))}
          <label>{ui.T("提供先", "Recipient")} <select name="partner">{Each(recipients, r => H($"<option value=\"{r.Key.Municipality}\">{r.Key.Municipality}</option>"))}</select></label>
          <label>{ui.T("同意した人（保護者・本人）", "Given by (guardian or the young person)")} <input type="text" name="given_by" required maxlength="100"></label>
          <label>{ui.T("同意日", "Given on")} <input type="date" name="given_on" required></label>
          <button type="submit">{ui.T("同意を記録", "Record the consent")}</button>
        </form>
        </details>
        """);

    /// <summary>The child for a hand-over, or null (the refusal audited) when the role may not hand over or the child is out of scope.</summary>
    private static ChildView? Load(Ui ui, AccessPolicy policy, ChildQuery query, AccessAudit audit, TimeProvider clock, long id, string action)
    {
        var user = ui.User!;
        if (!MayHandOver(policy, user))
        {
            audit.Record(ui.Http, user, Purpose.Handover, action, PlanPages.Subject(id), [], [], "denied");
            return null;
        }

        var view = query.Load(id, user.Scope, JapanTime.Today(clock));
        if (view is null)
        {
            audit.Record(ui.Http, user, Purpose.Handover, action, PlanPages.Subject(id), [], [], "not_found_or_out_of_scope");
        }

        return view;
    }

    private static HandoverContact Contact(User user, string contact) => new(user.DisplayName, user.Organisation, contact);

    private static IResult Refusal(Ui ui, AccessPolicy policy) => MayHandOver(policy, ui.User!)
        ? Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound)
        : Layout.Forbidden(ui, ui.T("転出時の引継ぎは、アクセス方針で認められた役割（相談員・統括）だけが行えます。", "Only the roles the access policy allows (caseworkers, supervisors) may hand a child over."));

    private static IResult Rejected(Ui ui, long personId, string problem, int status) =>
        Layout.Page(ui, ui.T("引継ぎを作成しませんでした", "No hand-over produced"), H($"<p class=\"error\">{problem}</p><p><a href=\"/children/{personId}/handover\">{ui.T("戻る", "Back")}</a></p>"), status);

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string When(Ui ui, DateTimeOffset at)
    {
        var local = JapanTime.ToJapan(at);
        return Labels.Date(ui, DateOnly.FromDateTime(local.DateTime)) + " " + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }
}
