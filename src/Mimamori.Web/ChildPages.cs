using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// One child: basic data, household, needs with reasons, evidence and missing feeds, a dated timeline of facts and
/// the linked source records (source, file, line, row as received). Values the policy withholds are shown as ＊＊＊
/// with the reason, never silently left out. The view is recorded in the audit trail before it is sent.
/// </summary>
public static class ChildPages
{
    /// <summary>Maps <c>/children/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapChildPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/children/{id:long}", Show).RequireAuthorization();
        return app;
    }

    /// <summary>What a request for a child came to.</summary>
    internal enum Outcome
    {
        /// <summary>The role sees no child data for the purpose.</summary>
        Forbidden,

        /// <summary>No such person, or outside the user's scope (deliberately indistinguishable).</summary>
        NotFound,

        /// <summary>Shown.</summary>
        Shown,
    }

    /// <summary>A child read under the policy.</summary>
    internal sealed record Reading(Outcome Outcome, Disclosure.Disclosure Disclosure, ChildView? View);

    /// <summary>Reads the child for the user and purpose and records the view (or the refusal).</summary>
    internal static Reading Read(HttpContext http, User user, long id, AccessPolicy policy, ChildQuery query, AccessAudit audit, TimeProvider clock)
    {
        var asked = http.Request.Query["purpose"].ToString();
        var purpose = policy.FindPurpose(asked)?.Id ?? policy.FindRole(user.Role)?.DefaultPurpose ?? Purpose.EarlySupport;
        var d = new Disclosure.Disclosure(policy, user, purpose);
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!d.SeesAnything)
        {
            audit.Record(http, user, purpose, AuditAction.View, subject, [], [], "denied");
            return new Reading(Outcome.Forbidden, d, null);
        }

        var view = query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories);
        if (view is null)
        {
            audit.Record(http, user, purpose, AuditAction.View, subject, [], [], "not_found_or_out_of_scope");
            return new Reading(Outcome.NotFound, d, null);
        }

        var (categories, fields) = Shown(d, view);
        audit.Record(http, user, purpose, AuditAction.View, subject, categories, fields, "allowed");
        return new Reading(Outcome.Shown, d, view);
    }

    /// <summary>The categories and fields whose values the view reveals, for the audit trail.</summary>
    internal static (List<string> Categories, List<string> Fields) Shown(Disclosure.Disclosure d, ChildView view)
    {
        var categories = new List<string> { DataCategory.Resident };
        var fields = new List<string> { "name", "kana", "birth_date", "age" };
        if (d.Allows(DataCategory.Resident))
        {
            fields.AddRange(["sex", "address", "atena_no", "household"]);
        }

        if (d.Allows(DataCategory.Education))
        {
            categories.Add(DataCategory.Education);
            fields.Add("school");
        }

        if (d.ShowsNeeds && view.Needs.Count > 0)
        {
            fields.AddRange(["needs", "judgements"]);
            categories.AddRange(d.CategoriesOf(view.Needs.Where(n => d.Shows(n.Signals)).SelectMany(n => n.Signals).Where(d.Shows)));
        }

        categories.AddRange(view.Timeline.Select(f => f.Category).Concat(view.Records.Select(r => r.Category)).Where(d.Allows));
        fields.AddRange(["timeline", "source_records"]);
        return (categories.Distinct().ToList(), fields);
    }

    private static IResult Show(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var reading = Read(http, ui.User!, id, policy, query, audit, clock);
        switch (reading.Outcome)
        {
            case Outcome.Forbidden:
                return Layout.Forbidden(ui, ui.T("この役割・目的ではこどもの情報を閲覧できません（アクセス方針による）。", "Your role may not see children's data for this purpose (access policy)."));
            case Outcome.NotFound:
                return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        var d = reading.Disclosure;
        var view = reading.View!;
        var p = view.Person;
        var purpose = policy.Purpose(d.Purpose);
        var body = H($"""
            <p class="notice">{ui.T("利用目的", "Purpose")}: {ui.T(purpose.Ja, purpose.En)}。{ui.T("この閲覧は記録されています。支援の要否は担当者が判断します。", "This view is recorded. A person decides whether support is needed.")}</p>
            {Basics(ui, d, view)}
            {Household(ui, d, view)}
            {If(d.ShowsNeeds, Needs(ui, d, view))}
            {If(d.ShowsNeeds, JudgementPages.ChildSection(ui, policy, new JudgementStore(db), view, JapanTime.Today(clock)))}
            {If(NotePages.MayWrite(policy, ui.User!), H($"<p class=\"notes-link\"><a href=\"/children/{view.Person.PersonId}/notes\">{ui.T("相談記録（音声から下書き）", "Consultation notes (drafted from a recording)")}</a></p>"))}
            {Timeline(ui, d, view)}
            {Records(ui, d, view)}
            """);
        return Layout.Page(ui, $"{p.FamilyName} {p.GivenName}", body);
    }

    private static Markup Basics(Ui ui, Disclosure.Disclosure d, ChildView view)
    {
        var p = view.Person;
        var resident = d.Allows(DataCategory.Resident);
        var residentMask = Layout.Masked(ui, ui.T("住民記録の閲覧権限がありません", "No access to resident data"));
        Markup Resident(string? value) => resident ? H($"{value ?? "—"}") : residentMask;
        var birth = p.BirthDate is null ? H($"—") : H($"{Labels.Date(ui, p.BirthDate)}（{Labels.Age(ui, p.Age)}）");
        var school = d.Allows(DataCategory.Education)
            ? H($"{view.School ?? "—"}")
            : Layout.Masked(ui, ui.T("教育情報の閲覧権限がありません", "No access to education data"));
        return H($"""
            <section id="basics">
            <h2>{ui.T("基本情報", "Basic data")}</h2>
            <table class="basics">
            <tr><th>{ui.T("氏名", "Name")}</th><td class="name">{p.FamilyName} {p.GivenName}</td></tr>
            <tr><th>{ui.T("ふりがな", "Reading")}</th><td>{p.FamilyKana} {p.GivenKana}</td></tr>
            <tr><th>{ui.T("生年月日", "Date of birth")}</th><td class="birth">{birth}</td></tr>
            <tr><th>{ui.T("性別", "Sex")}</th><td>{(resident ? H($"{Labels.Sex(ui, p.Sex)}") : residentMask)}</td></tr>
            <tr><th>{ui.T("住所", "Address")}</th><td>{Resident(p.Address)}</td></tr>
            <tr><th>{ui.T("宛名番号", "Atena number")}</th><td>{Resident(p.AtenaNo)}</td></tr>
            <tr><th>{ui.T("世帯番号", "Household number")}</th><td>{Resident(p.HouseholdNo)}</td></tr>
            <tr><th>{ui.T("学校", "School")}</th><td class="school">{school}</td></tr>
            </table>
            </section>
            """);
    }

    private static Markup Household(Ui ui, Disclosure.Disclosure d, ChildView view)
    {
        Markup content;
        if (!d.Allows(DataCategory.Resident))
        {
            content = H($"<p>{Layout.Masked(ui, ui.T("世帯の構成は住民記録の閲覧権限がある職員のみ表示します", "Household make-up is shown only to staff with access to resident data"))}</p>");
        }
        else if (view.Household.Count == 0)
        {
            content = H($"<p class=\"missing\">{ui.T("データなし（世帯の記録がありません）", "No data (no household record)")}</p>");
        }
        else
        {
            content = H($"""
                <table class="household">
                <thead><tr><th>{ui.T("続柄", "Relation")}</th><th>{ui.T("氏名", "Name")}</th><th>{ui.T("生年月日", "Date of birth")}</th><th>{ui.T("年齢", "Age")}</th></tr></thead>
                <tbody>
                {Each(view.Household, m => H($"<tr{(m.PersonId == view.Person.PersonId ? H($" class=\"self\"") : Markup.Empty)}><td>{m.Relation}</td><td><a href=\"/children/{m.PersonId}\">{m.FamilyName} {m.GivenName}</a></td><td>{Labels.Date(ui, m.BirthDate)}</td><td>{Labels.Age(ui, m.Age)}</td></tr>"))}
                </tbody>
                </table>
                """);
        }

        return H($"<section id=\"household\"><h2>{ui.T("世帯", "Household")}</h2>{content}</section>");
    }

    private static Markup Needs(Ui ui, Disclosure.Disclosure d, ChildView view)
    {
        if (view.Needs.Count == 0)
        {
            return H($"<section id=\"needs\"><h2>{ui.T("支援の必要性", "Needs")}</h2><p class=\"missing\">{ui.T("データなし（まだ判定されていません）", "No data (not assessed yet)")}</p></section>");
        }

        var linked = view.Records.Select(r => r.RecordId).ToHashSet();
        return H($"""
            <section id="needs">
            <h2>{ui.T("支援の必要性", "Needs")}</h2>
            <p class="note">{ui.T("段階は確認の優先度の目安です。理由と根拠を確かめ、担当者が判断してください。データのない情報源は「データなし」と表示し、リスクなしとは扱いません。", "Bands say how soon to look. Check the reasons and evidence; a person decides. Sources without data are shown as \"no data\", never as no risk.")}</p>
            {Each(view.Needs, n => Need(ui, d, n, linked))}
            </section>
            """);
    }

    private static Markup Need(Ui ui, Disclosure.Disclosure d, NeedView n, HashSet<long> linked) => !d.Shows(n.Signals)
        ? H($"<div class=\"need-block\"><h3>{WorklistPages.HiddenConcern(ui)}</h3></div>")
        : H($"""
        <div class="need-block" data-difficulty="{n.Difficulty}">
        <h3>{Labels.Difficulty(ui, n.Difficulty)}: {WorklistPages.BandLabel(ui, n.Band)}</h3>
        {If(n.Signals.Count > 0, H($"<ul class=\"reasons\">{Each(n.Signals, s => Signal(ui, d, s, linked))}</ul>"))}
        {If(n.Missing.Count > 0, H($"<p class=\"missing-feeds\">{Each(n.Missing, m => H($"<span class=\"missing\">{ui.T("データなし", "No data")}: {d.CategoryName(m, ui.English)}</span> "))}<span class=\"note\">{ui.T("（この情報源にデータがないため、判定できていない部分があります）", "(these sources had no data, so part of the picture is unknown)")}</span></p>"))}
        <p class="note">{ui.T("判定ルール", "Rules")}: {n.ModelVersion}</p>
        </div>
        """);

    private static Markup Signal(Ui ui, Disclosure.Disclosure d, NeedSignal s, HashSet<long> linked)
    {
        if (!d.Shows(s))
        {
            return H($"<li>{Layout.Masked(ui, ui.T("閲覧権限のない区分の情報に基づく理由です", "Based on data you may not see"))}</li>");
        }

        return H($"""
            <li><span class="reason">{ui.T(s.Ja, s.En)}</span>
            <ul class="evidence">{Each(s.Evidence, e => H($"<li class=\"evidence-item\">{d.CategoryName(e.Category, ui.English)}・{e.Source} {Labels.Date(ui, e.Date)}: {e.Value ?? "—"}{RecordLink(ui, e.RecordId, linked)}</li>"))}</ul></li>
            """);
    }

    private static Markup RecordLink(Ui ui, long? recordId, HashSet<long> linked) =>
        recordId is { } id && linked.Contains(id) ? H($" <a href=\"#record-{id}\">{ui.T("記録", "record")} #{id}</a>") : Markup.Empty;

    private static Markup Timeline(Ui ui, Disclosure.Disclosure d, ChildView view)
    {
        var rows = view.Timeline.Where(f => d.Decision(f.Category).IsVisible).ToList();
        return H($"""
            <section id="timeline">
            <h2>{ui.T("経過", "Timeline")}</h2>
            {Withheld(ui, d)}
            {(rows.Count == 0 ? H($"<p class=\"missing\">{ui.T("データなし", "No data")}</p>") : H($"""
                <table class="timeline">
                <thead><tr><th>{ui.T("日付", "Date")}</th><th>{ui.T("区分", "Category")}</th><th>{ui.T("項目", "Item")}</th><th>{ui.T("内容", "Value")}</th><th>{ui.T("出典", "Source")}</th></tr></thead>
                <tbody>{Each(rows, f => H($"<tr><td class=\"date\">{Labels.Date(ui, f.Date)}</td><td>{d.CategoryName(f.Category, ui.English)}</td><td>{Labels.FactKind(ui, f.Kind)}</td><td>{FactValue(ui, d, f)}</td><td><a href=\"#record-{f.RecordId}\">{f.Source} #{f.RecordId}</a></td></tr>"))}</tbody>
                </table>
                """))}
            </section>
            """);
    }

    private static Markup FactValue(Ui ui, Disclosure.Disclosure d, TimelineFact f)
    {
        if (!d.Allows(f.Category))
        {
            return Layout.Masked(ui, MaskReason(ui, d, f.Category));
        }

        var value = f.ValueText ?? f.ValueNum?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—";
        return H($"{value}");
    }

    private static Markup Records(Ui ui, Disclosure.Disclosure d, ChildView view)
    {
        var rows = view.Records.Where(r => d.Decision(r.Category).IsVisible).ToList();
        return H($"""
            <section id="records">
            <h2>{ui.T("連携元の記録", "Linked source records")}</h2>
            {Withheld(ui, d)}
            {(rows.Count == 0 ? H($"<p class=\"missing\">{ui.T("データなし", "No data")}</p>") : H($"""
                <table class="records">
                <thead><tr><th>{ui.T("記録", "Record")}</th><th>{ui.T("情報源", "Source")}</th><th>{ui.T("区分", "Category")}</th><th>{ui.T("ファイル・行", "File, line")}</th><th>{ui.T("照合", "Linkage")}</th><th>{ui.T("受信した内容", "Row as received")}</th></tr></thead>
                <tbody>{Each(rows, r => Record(ui, d, r))}</tbody>
                </table>
                """))}
            </section>
            """);
    }

    private static Markup Record(Ui ui, Disclosure.Disclosure d, LinkedRecord r)
    {
        var original = d.Allows(r.Category)
            ? H($"<dl class=\"original\">{Each(r.Original, kv => H($"<dt>{kv.Key}</dt><dd>{kv.Value ?? "—"}</dd>"))}</dl>")
            : Layout.Masked(ui, MaskReason(ui, d, r.Category));
        return H($"""
            <tr id="record-{r.RecordId}" class="source-record"><td>#{r.RecordId}</td><td class="source">{r.Source}</td><td>{d.CategoryName(r.Category, ui.English)}</td>
            <td class="file-line">{r.File}:{r.Line}</td><td>{Labels.Method(ui, r.Method, r.Weight)}</td><td>{original}</td></tr>
            """);
    }

    private static string MaskReason(Ui ui, Disclosure.Disclosure d, string category)
    {
        var decision = d.Decision(category);
        var basis = d.Policy.FindLegalBasis(decision.LegalBasis);
        return basis is not null && basis.RequiresConsent
            ? ui.T($"{basis.Ja}。同意の記録がないため表示しません", $"{basis.En}; no consent on record, so not shown")
            : ui.T($"{d.CategoryName(category, false)}の閲覧権限がありません", $"No access to {d.CategoryName(category, true)} data");
    }

    // Denied categories are named whether or not this child has such data, so the notice itself reveals nothing.
    private static Markup Withheld(Ui ui, Disclosure.Disclosure d)
    {
        var denied = d.Policy.Categories.Where(c => !d.Decision(c.Id).IsVisible).ToList();
        return denied.Count == 0
            ? Markup.Empty
            : H($"<p class=\"withheld\">{Layout.Masked(ui, ui.T($"次の区分は閲覧権限がないため表示していません: {string.Join("、", denied.Select(c => c.Ja))}", $"Not shown, no access: {string.Join(", ", denied.Select(c => c.En))}"))}</p>");
    }
}
