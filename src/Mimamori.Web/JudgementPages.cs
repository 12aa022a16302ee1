using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;
using Mimamori.Support.Programs;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The human judgement of flagged children: a decision (support needed, watch, not needed, refer) with its reasons,
/// who took it and in which meeting, and whether it goes against the bands; meetings with their agenda. A decision
/// freezes what the decider was shown (bands, reasons, evidence, missing sources, model score and versions), so a past
/// decision is re-displayed exactly as it was seen. Only roles the access policy allows for the purpose
/// <c>support_decision</c> may decide; every read and write is in the audit trail.
/// </summary>
public static class JudgementPages
{
    /// <summary>The policy purpose under which decisions and meetings are recorded.</summary>
    public const string DecisionPurpose = "support_decision";

    /// <summary>Audit action of recording a decision.</summary>
    public const string DecideAction = "decide";

    /// <summary>Audit action of creating a meeting or changing its agenda.</summary>
    public const string MeetingAction = "meeting";

    private const int ReasonsMaxLength = 2000;

    /// <summary>Maps the area's endpoints (under <c>/judgements</c>, and the decision form's target under the child).</summary>
    public static IEndpointRouteBuilder MapJudgementPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/judgements", Meetings).RequireAuthorization();
        app.MapPost("/judgements/meetings", CreateMeeting).RequireAuthorization().RequireAntiforgeryToken();
        app.MapGet("/judgements/meetings/{id:long}", ShowMeeting).RequireAuthorization();
        app.MapPost("/judgements/meetings/{id:long}/agenda", AddToAgenda).RequireAuthorization().RequireAntiforgeryToken();
        app.MapGet("/judgements/{id:long}", ShowDecision).RequireAuthorization();
        app.MapPost("/children/{id:long}/judgements", Decide).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/outreach-approvals", ApproveOutreach).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/outreach-approvals/{approval:long}/withdraw", WithdrawOutreach).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>True when the policy lets the user's role decide about children (the <c>support_decision</c> purpose).</summary>
    internal static bool MayDecide(AccessPolicy policy, User user) => policy.SeesChildren(user, DecisionPurpose);

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MayDecide(AccessPolicy.Default, user) ? H($"<a href=\"/judgements\">{ui.T("判定・会議", "Decisions and meetings")}</a>") : Markup.Empty;

    /// <summary>Name of a decision.</summary>
    internal static string DecisionLabel(Ui ui, string decision) => decision switch
    {
        Decision.SupportNeeded => ui.T("支援が必要", "Support needed"),
        Decision.Watch => ui.T("見守り（経過を見る）", "Watch"),
        Decision.NotNeeded => ui.T("支援不要", "Not needed"),
        Decision.Refer => ui.T("関係機関へつなぐ", "Refer"),
        _ => decision,
    };

    /// <summary>Name of a worklist judgement status.</summary>
    internal static string StatusLabel(Ui ui, string status) => status switch
    {
        JudgementStatus.Undecided => ui.T("未判定", "Not yet decided"),
        JudgementStatus.OnAgenda => ui.T("会議で判定予定", "On a meeting's agenda"),
        JudgementStatus.NotRegistered => ui.T("要対協未登録（支援・つなぐと判定済み）", "Not registered with 要対協 (decided: support or refer)"),
        JudgementStatus.Supporting => ui.T("支援中", "Support under way"),
        JudgementStatus.Watching => ui.T("見守り中", "Watching"),
        JudgementStatus.Referred => ui.T("関係機関へつないだ", "Referred"),
        JudgementStatus.NotNeeded => ui.T("支援不要と判定", "Decided: not needed"),
        _ => status,
    };

    /// <summary>Name of a meeting kind.</summary>
    internal static string MeetingKind(Ui ui, string kind) => kind switch
    {
        "case_meeting" => ui.T("ケース会議", "Case meeting"),
        "yotaikyo" => ui.T("要対協 実務者会議", "要対協 practitioners' meeting"),
        "screening" => ui.T("スクリーニング会議", "Screening meeting"),
        _ => kind,
    };

    private static readonly string[] MeetingKinds = ["case_meeting", "yotaikyo", "screening"];

    /// <summary>
    /// The judgement section of the child page: the decisions so far (newest first, each with a link to what was shown
    /// then), the form to record a new one and the form to put the child on a meeting's agenda.
    /// </summary>
    internal static Markup ChildSection(Ui ui, AccessPolicy policy, JudgementStore store, OutreachApprovalStore approvalStore, ChildView view, DateOnly today)
    {
        var user = ui.User!;
        if (!MayDecide(policy, user))
        {
            // Decisions and their reasons are casework: only the roles that may decide see them.
            return H($"<section id=\"judgement\"><h2>{ui.T("判定（支援の要否）", "Decision (does the child need support?)")}</h2><p class=\"note\">{ui.T("判定の記録は、アクセス方針で判定が認められた役割のみが閲覧・記録できます。", "Only roles the access policy allows to decide may see or record decisions.")}</p></section>");
        }

        var history = store.ForPerson(view.Person.PersonId);
        var id = view.Person.PersonId;
        var approvals = approvalStore.ForPerson(id);
        var asked = long.TryParse(ui.Http.Request.Query["meeting"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : (long?)null;
        var onAgenda = store.MeetingsOf(id);
        var meetings = onAgenda.Concat(store.Meetings(20)).DistinctBy(x => x.MeetingId).ToList();
        var preselected = asked ?? onAgenda.FirstOrDefault(x => x.HeldOn >= today.AddDays(-7))?.MeetingId;
        var form = H($"""
                <form method="post" action="/children/{id}/judgements" class="judgement-form">
                  {AntiforgeryCheck.Field(ui.Http)}
                  <fieldset><legend>{ui.T("判定", "Decision")}</legend>
                  {Each(Decision.All, d => H($"<label class=\"decision\"><input type=\"radio\" name=\"decision\" value=\"{d}\" required> {DecisionLabel(ui, d)}</label> "))}
                  </fieldset>
                  <label>{ui.T("理由（必須）", "Reasons (required)")}<br><textarea name="reasons" rows="4" cols="70" maxlength="{ReasonsMaxLength}" required></textarea></label><br>
                  <label>{ui.T("会議", "Meeting")}
                    <select name="meeting"><option value="">{ui.T("会議外（個別の判断）", "Outside a meeting")}</option>
                    {Each(meetings, x => H($"<option value=\"{x.MeetingId}\"{(x.MeetingId == preselected ? H($" selected") : Markup.Empty)}>{Labels.Date(ui, x.HeldOn)} {x.Title}</option>"))}
                    </select></label><br>
                  <label><input type="checkbox" name="overrides" value="1"> {ui.T("段階（スコア）が示す優先度と異なる判断である", "This decision goes against what the bands suggested")}</label><br>
                  <label>{ui.T("「支援が必要」のとき、家庭に案内する制度（任意）", "With \"support needed\": program to offer the family (optional)")}
                    <select name="outreach_program">{ProgramOptions(ui)}</select></label><br>
                  <p class="note">{ui.T("判定には、いま画面に表示されている段階・理由・根拠・モデルの版が一緒に保存され、後から当時の表示のまま確認できます。", "The bands, reasons, evidence and model version shown now are saved with the decision, so it can be reviewed later exactly as it was seen.")}</p>
                  <button type="submit">{ui.T("判定を記録する", "Record the decision")}</button>
                </form>
                {AgendaForm(ui, id, store.Meetings(20).Where(x => onAgenda.All(a => a.MeetingId != x.MeetingId)).ToList())}
                """);
        return H($"""
            <section id="judgement">
            <h2>{ui.T("判定（支援の要否）", "Decision (does the child need support?)")}</h2>
            {(onAgenda.Count == 0 ? Markup.Empty : H($"<p class=\"note\">{ui.T("議題に入っている会議", "On the agenda of")}: {Each(onAgenda, x => H($"<a href=\"/judgements/meetings/{x.MeetingId}\">{Labels.Date(ui, x.HeldOn)} {x.Title}</a> "))}</p>"))}
            {(history.Count == 0 ? H($"<p class=\"status\">{ui.T("未判定", "Not yet decided")}</p>") : History(ui, history))}
            {OutreachSection(ui, id, history.Count > 0 ? history[0] : null, approvals)}
            {form}
            </section>
            """);
    }

    private static Markup AgendaForm(Ui ui, long personId, List<Meeting> meetings) => meetings.Count == 0
        ? Markup.Empty
        : H($"""
            <form method="post" action="/judgements/meetings/{meetings[0].MeetingId}/agenda" class="agenda-form">
              {AntiforgeryCheck.Field(ui.Http)}
              <input type="hidden" name="person" value="{personId}">
              <label>{ui.T("会議の議題に加える", "Put on a meeting's agenda")}
              <select name="meeting">{Each(meetings, x => H($"<option value=\"{x.MeetingId}\">{Labels.Date(ui, x.HeldOn)} {x.Title}</option>"))}</select></label>
              <button type="submit">{ui.T("議題に加える", "Add to agenda")}</button>
            </form>
            """);

    private static Markup History(Ui ui, IReadOnlyList<StoredJudgement> history) => H($"""
        <table class="judgements">
        <thead><tr><th>{ui.T("日時", "When")}</th><th>{ui.T("判定", "Decision")}</th><th>{ui.T("理由", "Reasons")}</th><th>{ui.T("判定者", "Decided by")}</th><th>{ui.T("会議", "Meeting")}</th><th>{ui.T("段階と異なる判断", "Against the bands")}</th><th>{ui.T("当時の表示", "What was shown")}</th></tr></thead>
        <tbody>{Each(history, j => H($"""
            <tr class="judgement{(j.SupersededBy is null ? H($" current") : H($" superseded"))}" data-judgement="{j.JudgementId}">
            <td>{When(ui, j.DecidedAt)}</td>
            <td class="decision">{DecisionLabel(ui, j.Decision)}{(j.SupersededBy is null ? Markup.Empty : H($"<br><span class=\"note\">{ui.T("（後の判定で更新）", "(superseded by a later decision)")}</span>"))}</td>
            <td class="reasons">{j.Reasons}</td>
            <td>{j.By.DisplayName}<br><span class="note">{RoleName(ui, j.By.Role)}・{j.By.Organisation}</span></td>
            <td>{(j.MeetingId is { } mid ? H($"<a href=\"/judgements/meetings/{mid}\">{Labels.Date(ui, j.MeetingDate)} {j.MeetingTitle}</a>") : H($"{ui.T("会議外", "Outside a meeting")}"))}</td>
            <td>{(j.OverridesScore ? ui.T("はい", "Yes") : ui.T("いいえ", "No"))}</td>
            <td><a href="/judgements/{j.JudgementId}">{ui.T("当時の表示を見る", "View")}</a></td>
            </tr>
            """))}</tbody>
        </table>
        """);

    private static string RoleName(Ui ui, string role) => AccessPolicy.Default.FindRole(role) is { } r ? ui.T(r.Ja, r.En) : role;

    private static string When(Ui ui, DateTimeOffset at)
    {
        var local = JapanTime.ToJapan(at);
        return Labels.Date(ui, DateOnly.FromDateTime(local.DateTime)) + " " + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static async Task<IResult> Decide(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, DecideAction, subject, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("この役割では判定を記録できません（アクセス方針による）。", "Your role may not record decisions (access policy)."));
        }

        // What the decider was shown is what the child page shows them: the early-support view under their access.
        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        var view = query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories);
        if (view is null)
        {
            audit.Record(http, user, DecisionPurpose, DecideAction, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        var form = await http.Request.ReadFormAsync();
        var decision = form["decision"].ToString();
        var reasons = form["reasons"].ToString().Trim();
        var meetingText = form["meeting"].ToString();
        long? meeting = long.TryParse(meetingText, NumberStyles.None, CultureInfo.InvariantCulture, out var mid) ? mid : null;
        var store = new JudgementStore(db);
        var problem = !Decision.IsKnown(decision) ? ui.T("判定を選んでください。", "Choose a decision.")
            : reasons.Length == 0 ? ui.T("理由を書いてください。", "Write the reasons.")
            : reasons.Length > ReasonsMaxLength ? ui.T($"理由は{ReasonsMaxLength}字以内にしてください。", $"Reasons must be at most {ReasonsMaxLength} characters.")
            : meetingText.Length > 0 && (meeting is null || store.FindMeeting(meeting.Value) is null) ? ui.T("その会議はありません。", "No such meeting.")
            : null;
        if (problem is not null)
        {
            audit.Record(http, user, DecisionPurpose, DecideAction, subject, [], [], "rejected");
            return Layout.Page(ui, ui.T("判定を記録できませんでした", "The decision was not recorded"), H($"<p class=\"error\">{problem}</p><p><a href=\"/children/{id}#judgement\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        var shown = d.ShowsNeeds
            ? view.Needs.Where(n => d.Shows(n.Signals)).Select(n => n with { Signals = n.Signals.Where(d.Shows).ToList() }).ToList()
            : [];
        var snapshot = new JudgementSnapshot(store.ReferenceDate(), shown, d.ShowsNeeds ? store.CurrentScore(id) : null, policy.Version, d.Purpose);
        var recorded = store.Record(
            new NewJudgement(id, decision, reasons, new Decider(user.Name, user.DisplayName, user.Role, user.Organisation), meeting, form["overrides"] == "1", snapshot),
            clock.GetUtcNow());
        var categories = new List<string> { DataCategory.Resident };
        categories.AddRange(d.CategoriesOf(shown.SelectMany(n => n.Signals)));
        audit.Record(http, user, DecisionPurpose, DecideAction, subject, categories, ["decision", "reasons", "meeting", "snapshot"], "recorded:judgement:" + recorded.JudgementId.ToString(CultureInfo.InvariantCulture));
        var program = form["outreach_program"].ToString();
        if (decision == Decision.SupportNeeded && program.Length > 0)
        {
            var outcome = RecordApproval(db, id, recorded.JudgementId, program, user, clock.GetUtcNow());
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, outcome is null ? [] : [DataCategory.Resident], outcome is null ? [] : ["outreach_program"], outcome ?? "rejected");
        }

        return Results.Redirect($"/children/{id}#judgement");
    }

    private static IResult ShowDecision(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        var judgement = new JudgementStore(db).Find(id);
        var subject = judgement is null ? "judgement:" + id.ToString(CultureInfo.InvariantCulture) : "person:" + judgement.PersonId.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user) || !d.SeesAnything)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.View, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var view = judgement is null ? null : query.Load(judgement.PersonId, user.Scope, JapanTime.Today(clock), d.AllowedCategories);
        if (judgement is null || view is null)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.View, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する判定がないか、閲覧できる範囲の外です。", "No such decision, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        // The snapshot is shown under today's access of the viewer: a reason the viewer may not see stays masked.
        var s = judgement.Snapshot;
        var categories = new List<string> { DataCategory.Resident };
        categories.AddRange(d.CategoriesOf(s.Needs.SelectMany(n => n.Signals).Where(d.Shows)));
        audit.Record(http, user, DecisionPurpose, AuditAction.View, subject, categories, ["name", "decision", "reasons", "snapshot"], "allowed:judgement:" + id.ToString(CultureInfo.InvariantCulture));
        var p = view.Person;
        var body = H($"""
            <p class="notice">{ui.T("過去の判定と、その判定のときに画面に表示されていた内容です（その後のデータ更新は反映していません）。", "A past decision and what the screen showed when it was taken (later data is not reflected).")}</p>
            <dl class="judgement-facts">
              <dt>{ui.T("こども", "Child")}</dt><dd><a href="/children/{p.PersonId}">{p.FamilyName} {p.GivenName}</a></dd>
              <dt>{ui.T("判定", "Decision")}</dt><dd class="decision">{DecisionLabel(ui, judgement.Decision)}</dd>
              <dt>{ui.T("理由", "Reasons")}</dt><dd class="reasons">{judgement.Reasons}</dd>
              <dt>{ui.T("判定者", "Decided by")}</dt><dd>{judgement.By.DisplayName}（{RoleName(ui, judgement.By.Role)}・{judgement.By.Organisation}）</dd>
              <dt>{ui.T("日時", "When")}</dt><dd>{When(ui, judgement.DecidedAt)}</dd>
              <dt>{ui.T("会議", "Meeting")}</dt><dd>{(judgement.MeetingId is { } mid ? H($"<a href=\"/judgements/meetings/{mid}\">{Labels.Date(ui, judgement.MeetingDate)} {judgement.MeetingTitle}</a>") : H($"{ui.T("会議外", "Outside a meeting")}"))}</dd>
              <dt>{ui.T("段階と異なる判断", "Against the bands")}</dt><dd>{(judgement.OverridesScore ? ui.T("はい", "Yes") : ui.T("いいえ", "No"))}</dd>
              <dt>{ui.T("状態", "State")}</dt><dd>{(judgement.SupersededBy is { } later ? H($"{ui.T("後の判定で更新されました", "Superseded by")} <a href=\"/judgements/{later}\">#{later}</a>") : H($"{ui.T("現在の判定", "Current decision")}"))}</dd>
            </dl>
            <h2>{ui.T("判定のときの表示", "What was shown")}</h2>
            <p class="note">{ui.T("データの基準日", "Data as of")}: {Labels.Date(ui, s.ReferenceDate)}　{ui.T("判定ルール・モデルの版", "Rules and model versions")}: {judgement.ModelVersion}　{ui.T("アクセス方針の版", "Access policy version")}: {s.PolicyVersion}</p>
            <div class="snapshot">
            {(s.Needs.Count == 0 ? H($"<p class=\"missing\">{ui.T("表示されていた支援の必要性はありません", "No needs were shown")}</p>") : Each(s.Needs, n => SnapshotNeed(ui, d, n)))}
            {ModelScore(ui, s.Model)}
            </div>
            """);
        return Layout.Page(ui, ui.T($"判定 #{id}", $"Decision #{id}"), body);
    }

    private static Markup SnapshotNeed(Ui ui, Disclosure.Disclosure d, NeedView n) => !d.Shows(n.Signals)
        ? H($"<div class=\"need-block\"><h3>{WorklistPages.HiddenConcern(ui)}</h3></div>")
        : H($"""
            <div class="need-block" data-difficulty="{n.Difficulty}">
            <h3>{Labels.Difficulty(ui, n.Difficulty)}: {WorklistPages.BandLabel(ui, n.Band)}</h3>
            <ul class="reasons">{Each(n.Signals, sig => d.Shows(sig)
                ? H($"<li><span class=\"reason\">{ui.T(sig.Ja, sig.En)}</span><ul class=\"evidence\">{Each(sig.Evidence, e => H($"<li class=\"evidence-item\">{d.CategoryName(e.Category, ui.English)}・{e.Source} {Labels.Date(ui, e.Date)}: {e.Value ?? "—"}</li>"))}</ul></li>")
                : H($"<li>{Layout.Masked(ui, ui.T("閲覧権限のない区分の情報に基づく理由です", "Based on data you may not see"))}</li>"))}</ul>
            {If(n.Missing.Count > 0, H($"<p class=\"missing-feeds\">{Each(n.Missing, m => H($"<span class=\"missing\">{ui.T("データなし", "No data")}: {d.CategoryName(m, ui.English)}</span> "))}</p>"))}
            <p class="note">{ui.T("判定ルール", "Rules")}: {n.ModelVersion}</p>
            </div>
            """);

    /// <summary>The model's score: its band with the band's meaning written next to it, and its reasons in words.</summary>
    internal static Markup ModelScore(Ui ui, SnapshotScore? score) => score is null
        ? Markup.Empty
        : H($"""
            <div class="model-score">
            <h3>{ui.T("統計モデルによる見立て", "The statistical model")}: {WorklistPages.BandLabel(ui, score.Band)}</h3>
            <ul class="reasons">{Each(score.Reasons, r => H($"<li>{ui.T(r.Ja, r.En)}</li>"))}</ul>
            <p class="note">{ui.T("モデルの版", "Model version")}: {score.ModelVersion}。{ui.T("段階は、似たデータのこどもが後に支援につながった割合に基づく確認の目安で、この家庭についての判断ではありません。", "The band reflects how often children with similar data later needed support; it is a prompt to look, not a judgement of this family.")}</p>
            </div>
            """);

    private static IResult Meetings(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Search, "meetings", [], [], "denied");
            return Forbidden(ui);
        }

        audit.Record(http, user, DecisionPurpose, AuditAction.Search, "meetings", [], [], "allowed");
        var meetings = new JudgementStore(db).Meetings();
        var body = H($"""
            <p>{ui.T("見守りリストのこどもについて、支援の要否を判定する会議です。会議を作り、こどものページから議題に加え、会議の中で判定を記録します。", "Meetings that decide whether children on the watch list need support. Create a meeting, add children to its agenda from their page, and record each decision in the meeting.")}</p>
            <p><a href="/?status={JudgementStatus.Undecided}">{ui.T("未判定のこどもを見守りリストで見る", "Children not yet decided (watch list)")}</a></p>
            <table class="meetings">
            <thead><tr><th>{ui.T("開催日", "Date")}</th><th>{ui.T("会議", "Meeting")}</th><th>{ui.T("種別", "Kind")}</th><th>{ui.T("出席者", "Attendees")}</th><th>{ui.T("議題", "Agenda")}</th><th>{ui.T("判定済み", "Decided")}</th></tr></thead>
            <tbody>{Each(meetings, m => H($"<tr class=\"meeting\"><td>{Labels.Date(ui, m.HeldOn)}</td><td><a href=\"/judgements/meetings/{m.MeetingId}\">{m.Title}</a></td><td>{MeetingKind(ui, m.Kind)}</td><td>{string.Join("、", m.Attendees)}</td><td>{m.Agenda}</td><td>{m.Decided}</td></tr>"))}</tbody>
            </table>
            {If(meetings.Count == 0, H($"<p>{ui.T("会議はまだありません。", "No meetings yet.")}</p>"))}
            <h2>{ui.T("会議を作る", "New meeting")}</h2>
            <form method="post" action="/judgements/meetings" class="meeting-form">
              {AntiforgeryCheck.Field(http)}
              <label>{ui.T("開催日", "Date")} <input type="date" name="held_on" required value="{JapanTime.Today(clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"></label>
              <label>{ui.T("会議名", "Title")} <input type="text" name="title" required maxlength="200"></label>
              <label>{ui.T("種別", "Kind")} <select name="kind">{Each(MeetingKinds, k => H($"<option value=\"{k}\">{MeetingKind(ui, k)}</option>"))}</select></label>
              <label>{ui.T("出席者（1行に1人）", "Attendees (one per line)")}<br><textarea name="attendees" rows="3" cols="40" maxlength="2000"></textarea></label>
              <button type="submit">{ui.T("会議を作る", "Create")}</button>
            </form>
            """);
        return Layout.Page(ui, ui.T("判定・会議", "Decisions and meetings"), body);
    }

    private static async Task<IResult> CreateMeeting(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, MeetingAction, "meeting:new", [], [], "denied");
            return Forbidden(ui);
        }

        var form = await http.Request.ReadFormAsync();
        var title = form["title"].ToString().Trim();
        var kind = form["kind"].ToString();
        if (!DateOnly.TryParseExact(form["held_on"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var heldOn) || title.Length is 0 or > 200 || !MeetingKinds.Contains(kind))
        {
            audit.Record(http, user, DecisionPurpose, MeetingAction, "meeting:new", [], [], "rejected");
            return Layout.Page(ui, ui.T("会議を作れませんでした", "The meeting was not created"), H($"<p class=\"error\">{ui.T("開催日・会議名・種別を確かめてください。", "Check the date, title and kind.")}</p><p><a href=\"/judgements\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        var attendees = form["attendees"].ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var meeting = new JudgementStore(db).CreateMeeting(new NewMeeting(heldOn, title, kind, attendees, user.Name), clock.GetUtcNow());
        audit.Record(http, user, DecisionPurpose, MeetingAction, "meeting:" + meeting.MeetingId.ToString(CultureInfo.InvariantCulture), [], ["title", "attendees"], "created");
        return Results.Redirect("/judgements/meetings/" + meeting.MeetingId.ToString(CultureInfo.InvariantCulture));
    }

    private static IResult ShowMeeting(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "meeting:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.View, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var store = new JudgementStore(db);
        var meeting = store.FindMeeting(id);
        if (meeting is null)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.View, subject, [], [], "not_found");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p><a href=\"/judgements\">{ui.T("会議の一覧へ", "Back to meetings")}</a></p>"), StatusCodes.Status404NotFound);
        }

        // Only children the user's scope reaches are listed; each one listed is an audited disclosure of the name.
        var agenda = store.Agenda(id);
        var inScope = new WorklistQuery(db).InScope(agenda.Select(a => a.PersonId).ToList(), user.Scope, new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).AllowedCategories);
        var shown = agenda.Where(a => inScope.Contains(a.PersonId)).ToList();
        var events = shown.Select(a => audit.Event(http, user, DecisionPurpose, AuditAction.Search, "person:" + a.PersonId.ToString(CultureInfo.InvariantCulture), [DataCategory.Resident], ["name", "kana", "decision", "reasons"], "allowed")).ToList();
        events.Add(audit.Event(http, user, DecisionPurpose, AuditAction.View, subject, [], ["title", "attendees"], "allowed"));
        audit.RecordAll(events);
        var body = H($"""
            <dl class="meeting-facts">
              <dt>{ui.T("開催日", "Date")}</dt><dd>{Labels.Date(ui, meeting.HeldOn)}</dd>
              <dt>{ui.T("種別", "Kind")}</dt><dd>{MeetingKind(ui, meeting.Kind)}</dd>
              <dt>{ui.T("出席者", "Attendees")}</dt><dd>{string.Join("、", meeting.Attendees)}</dd>
            </dl>
            <h2>{ui.T("議題と判定", "Agenda and decisions")}</h2>
            <p class="note">{ui.T("こどもの名前から、この会議の判定を記録できます。", "Follow a child's name to record the decision taken in this meeting.")}</p>
            <table class="agenda">
            <thead><tr><th>{ui.T("氏名", "Name")}</th><th>{ui.T("ふりがな", "Reading")}</th><th>{ui.T("判定", "Decision")}</th><th>{ui.T("理由", "Reasons")}</th><th>{ui.T("判定者", "Decided by")}</th></tr></thead>
            <tbody>{Each(shown, a => H($"""
                <tr class="agenda-item" data-person="{a.PersonId}">
                <td><a href="/children/{a.PersonId}?meeting={id}#judgement">{a.FamilyName} {a.GivenName}</a></td><td>{a.FamilyKana} {a.GivenKana}</td>
                <td class="decision">{(a.Decision is null ? H($"<span class=\"missing\">{ui.T("未判定", "Not yet decided")}</span>") : H($"<a href=\"/judgements/{a.Decision.JudgementId}\">{DecisionLabel(ui, a.Decision.Decision)}</a>"))}</td>
                <td>{a.Decision?.Reasons ?? string.Empty}</td><td>{a.Decision?.By.DisplayName ?? string.Empty}</td>
                </tr>
                """))}</tbody>
            </table>
            {If(agenda.Count > shown.Count, H($"<p class=\"note\">{ui.T($"閲覧できる範囲の外のこども {agenda.Count - shown.Count}人は表示していません。", $"{agenda.Count - shown.Count} children outside the children you may see are not listed.")}</p>"))}
            {If(agenda.Count == 0, H($"<p>{ui.T("議題はまだありません。こどものページから加えてください。", "No children on the agenda yet; add them from a child's page.")}</p>"))}
            <p><a href="/judgements">{ui.T("会議の一覧へ", "Back to meetings")}</a></p>
            """);
        return Layout.Page(ui, meeting.Title, body);
    }

    private static async Task<IResult> AddToAgenda(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var form = await http.Request.ReadFormAsync();
        // The select names the meeting; the form's action carries a default for browsers that send no select.
        var meetingId = long.TryParse(form["meeting"], NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : id;
        var personId = long.TryParse(form["person"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1;
        var subject = "person:" + personId.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, MeetingAction, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (personId < 0 || query.Load(personId, user.Scope, JapanTime.Today(clock), d.AllowedCategories) is null)
        {
            audit.Record(http, user, DecisionPurpose, MeetingAction, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        var added = new JudgementStore(db).AddToAgenda(meetingId, personId, user.Name, clock.GetUtcNow());
        audit.Record(http, user, DecisionPurpose, MeetingAction, subject, [], ["agenda"], (added ? "added:meeting:" : "unchanged:meeting:") + meetingId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{personId}#judgement");
    }

    private static Markup ProgramOptions(Ui ui) => H($"""
        <option value="">{ui.T("案内しない", "No offer")}</option>
        {Each(ProgramCatalog.Default.Programs, p => H($"<option value=\"{p.Id}\">{ui.T(p.Ja, p.En)}</option>"))}
        """);

    private static string ProgramName(Ui ui, string program) =>
        ProgramCatalog.Default.Programs.FirstOrDefault(p => p.Id == program) is { } p ? ui.T(p.Ja, p.En) : program;

    /// <summary>
    /// Outreach approved for the child's family: the approvals so far, and, while the current decision is
    /// <c>support_needed</c>, the form to approve one more program. The offer itself is drafted in the monthly
    /// <c>approved-YYYY-MM</c> campaign and sent only after a supervisor approves that campaign.
    /// </summary>
    private static Markup OutreachSection(Ui ui, long personId, StoredJudgement? current, IReadOnlyList<OutreachApproval> approvals)
    {
        var mayApprove = current is { Decision: Decision.SupportNeeded };
        if (!mayApprove && approvals.Count == 0)
        {
            return Markup.Empty;
        }

        return H($"""
            <div id="outreach-approval">
            <h3>{ui.T("支援の案内（承認）", "Offers of support (approved)")}</h3>
            {If(approvals.Count > 0, H($"""
                <table class="outreach-approvals">
                <thead><tr><th>{ui.T("制度", "Program")}</th><th>{ui.T("承認", "Approved")}</th><th>{ui.T("状態", "State")}</th></tr></thead>
                <tbody>{Each(approvals, a => H($"""
                    <tr class="outreach-approval" data-approval="{a.ApprovalId}" data-program="{a.Program}">
                    <td>{ProgramName(ui, a.Program)}</td>
                    <td>{a.ApprovedBy} {When(ui, a.ApprovedAt)}</td>
                    <td>{(a.WithdrawnAt is { } w ? H($"<span class=\"withdrawn\">{ui.T("取り下げ", "Withdrawn")}: {a.WithdrawnBy} {When(ui, w)}</span>") : H($"""
                        <span class="standing">{ui.T("有効（次の案内キャンペーンで統括の承認後に送付）", "Standing (sent in the next campaign once a supervisor approves it)")}</span>
                        <form method="post" action="/children/{personId}/outreach-approvals/{a.ApprovalId}/withdraw" class="inline">
                          {AntiforgeryCheck.Field(ui.Http)}
                          <button type="submit">{ui.T("取り下げる", "Withdraw")}</button>
                        </form>
                        """))}</td>
                    </tr>
                    """))}</tbody>
                </table>
                """))}
            {If(mayApprove, H($"""
                <form method="post" action="/children/{personId}/outreach-approvals" class="outreach-approval-form">
                  {AntiforgeryCheck.Field(ui.Http)}
                  <input type="hidden" name="judgement" value="{current?.JudgementId}">
                  <label>{ui.T("家庭に案内する制度", "Program to offer the family")} <select name="program" required>{Each(ProgramCatalog.Default.Programs, p => H($"<option value=\"{p.Id}\">{ui.T(p.Ja, p.En)}</option>"))}</select></label>
                  <button type="submit">{ui.T("案内を承認する", "Approve the offer")}</button>
                  <p class="note">{ui.T("案内文は制度の紹介のみで、判定やその理由には触れません。", "The message only introduces the program; it never mentions the decision or its reasons.")}</p>
                </form>
                """))}
            </div>
            """);
    }

    /// <summary>Records an approval; returns the audit outcome, or null when the program or decision does not allow it.</summary>
    private static string? RecordApproval(MimamoriDatabase db, long personId, long judgementId, string program, User user, DateTimeOffset now)
    {
        if (ProgramCatalog.Default.Programs.All(p => p.Id != program))
        {
            return null;
        }

        try
        {
            var approval = new OutreachApprovalStore(db).Approve(personId, judgementId, program, user.Name, now);
            return "recorded:outreach_approval:" + approval.ApprovalId.ToString(CultureInfo.InvariantCulture);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<IResult> ApproveOutreach(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories) is null)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        var form = await http.Request.ReadFormAsync();
        var program = form["program"].ToString();
        var judgementId = long.TryParse(form["judgement"], NumberStyles.None, CultureInfo.InvariantCulture, out var j) ? j : -1;
        var outcome = RecordApproval(db, id, judgementId, program, user, clock.GetUtcNow());
        if (outcome is null)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [], [], "rejected");
            return Layout.Page(ui, ui.T("案内を承認できませんでした", "The offer was not approved"), H($"<p class=\"error\">{ui.T("制度を選び、現在の判定が「支援が必要」であることを確かめてください。", "Choose a program, and check that the current decision is \"support needed\".")}</p><p><a href=\"/children/{id}#judgement\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [DataCategory.Resident], ["outreach_program"], outcome);
        return Results.Redirect($"/children/{id}#outreach-approval");
    }

    private static IResult WithdrawOutreach(long id, long approval, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayDecide(policy, user))
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        var withdrawn = query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories) is not null
            && new OutreachApprovalStore(db).Withdraw(id, approval, user.Name, clock.GetUtcNow());
        if (!withdrawn)
        {
            audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [], [], "not_found_or_out_of_scope:outreach_approval:" + approval.ToString(CultureInfo.InvariantCulture));
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("取り下げられる承認がありません（取り下げ済みか、閲覧できる範囲の外です）。", "No standing approval to withdraw (already withdrawn, or outside the children you may see).")}</p>"), StatusCodes.Status404NotFound);
        }

        audit.Record(http, user, DecisionPurpose, AuditAction.Change, subject, [DataCategory.Resident], ["outreach_program"], "withdrawn:outreach_approval:" + approval.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}#outreach-approval");
    }

    private static IResult Forbidden(Ui ui) =>
        Layout.Forbidden(ui, ui.T("判定と会議は、アクセス方針で判定が認められた役割（相談員・統括・保健師）のみが扱えます。", "Only roles the access policy allows to decide (caseworkers, supervisors, public health nurses) may use decisions and meetings."));
}
