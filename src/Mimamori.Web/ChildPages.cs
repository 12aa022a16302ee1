using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.People;
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
    private static readonly HashSet<string> EmergencyBasis = [LegalBasis.Appi69Emergency];

    /// <summary>Maps <c>/children/{id}</c>, its case assignments and break-glass access (granted for <paramref name="breakGlass"/>).</summary>
    public static IEndpointRouteBuilder MapChildPages(this IEndpointRouteBuilder app, TimeSpan breakGlass)
    {
        app.MapGet("/children/{id:long}", Show).RequireAuthorization();
        app.MapPost("/children/{id:long}/break-glass", (long id, HttpContext http, AccessPolicy policy, ChildQuery query, BreakGlassGrants grants, AccessAudit audit, TimeProvider clock) =>
            BreakGlass(id, http, policy, query, grants, audit, clock, breakGlass)).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/assignments", Assign).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/children/{id:long}/assignments/{assignment:long}/end", EndAssignment).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>True when the user's role may open a child outside its scope in an emergency.</summary>
    internal static bool MayBreakGlass(AccessPolicy policy, User user) =>
        user.Scope.Kind != ScopeKind.All && policy.DecideAll(user, Purpose.BreakGlass, EmergencyBasis).Values.Any(d => d.IsVisible);

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

    /// <summary>A child read under the policy; <paramref name="Grant"/> is the break-glass grant it was read under, if any.</summary>
    internal sealed record Reading(Outcome Outcome, Disclosure.Disclosure Disclosure, ChildView? View, BreakGlassGrant? Grant = null);

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
            // Outside the scope: only a break-glass grant in force for this user and this child opens it, under the
            // emergency purpose and basis, and every such view is recorded as such.
            var grant = http.RequestServices.GetRequiredService<BreakGlassGrants>().Active(user.Name, id, clock.GetUtcNow());
            var emergency = grant is null ? null : new Disclosure.Disclosure(policy, user, Purpose.BreakGlass, EmergencyBasis);
            var opened = emergency is { SeesAnything: true } ? query.Load(id, Scope.All, JapanTime.Today(clock), emergency.AllowedCategories) : null;
            if (opened is not null)
            {
                var (shownCategories, shownFields) = Shown(emergency!, opened);
                audit.Record(http, user, Purpose.BreakGlass, AuditAction.View, subject, shownCategories, shownFields, "allowed:break_glass:" + grant!.GrantId.ToString(CultureInfo.InvariantCulture));
                return new Reading(Outcome.Shown, emergency!, opened, grant);
            }

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

        if (d.ShowsNeeds && JudgementPages.MayDecide(d.Policy, d.User))
        {
            // The casework sections (plans, referrals and consents, 要対協) are part of this one view.
            fields.AddRange(PlanPages.PlanFields);
        }

        categories.AddRange(view.Timeline.Select(f => f.Category).Concat(view.Records.Select(r => r.Category)).Where(d.Allows));
        fields.AddRange(["timeline", "source_records"]);
        return (categories.Distinct().ToList(), fields);
    }

    private static IResult Show(long id, HttpContext http, AccessPolicy policy, ChildQuery query, MimamoriDatabase db, AccessAudit audit, TimeProvider clock, CaseAssignments cases, UserStore users)
    {
        var ui = Ui.For(http);
        var reading = Read(http, ui.User!, id, policy, query, audit, clock);
        switch (reading.Outcome)
        {
            case Outcome.Forbidden:
                return Layout.Forbidden(ui, ui.T("この役割・目的ではこどもの情報を閲覧できません（アクセス方針による）。", "Your role may not see children's data for this purpose (access policy)."));
            case Outcome.NotFound:
                return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>{If(MayBreakGlass(policy, ui.User!), BreakGlassForm(ui, id, null))}"), StatusCodes.Status404NotFound);
        }

        var d = reading.Disclosure;
        var view = reading.View!;
        var p = view.Person;
        var purpose = policy.Purpose(d.Purpose);
        var body = H($"""
            {(reading.Grant is null ? Markup.Empty : Banner(ui, reading.Grant))}
            <p class="notice">{ui.T("利用目的", "Purpose")}: {ui.T(purpose.Ja, purpose.En)}。{ui.T("この閲覧は記録されています。支援の要否は担当者が判断します。", "This view is recorded. A person decides whether support is needed.")}</p>
            {Basics(ui, d, view)}
            {(reading.Grant is null && JudgementPages.MayDecide(policy, ui.User!) ? Assignments(ui, view.Person.PersonId, cases, users) : Markup.Empty)}
            {Household(ui, d, view)}
            {HouseholdHistory(ui, d, HouseholdHistoryQuery.Of(db, p.PersonId))}
            {If(d.ShowsNeeds, Needs(ui, d, view))}
            {If(d.ShowsNeeds, JudgementPages.ChildSection(ui, policy, new JudgementStore(db), new OutreachApprovalStore(db), view, JapanTime.Today(clock)))}
            {If(d.ShowsNeeds, PlanPages.ChildSection(ui, policy, db, view, JapanTime.Today(clock)))}
            {If(d.ShowsNeeds, YotaikyoPages.ChildSection(ui, policy, db, view, JapanTime.Today(clock)))}
            {If(d.ShowsNeeds, ReferralPages.ChildSection(ui, policy, db, view))}
            {(reading.Grant is null ? HandoverPages.ChildLink(ui, policy, view.Person.PersonId) : Markup.Empty)}
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

    /// <summary>
    /// The households the child has belonged to over time, from the registry and its movements, with who lived there
    /// during the same period and the relation the registry gives (guardian, sibling). Resident data, like the household.
    /// </summary>
    private static Markup HouseholdHistory(Ui ui, Disclosure.Disclosure d, IReadOnlyList<HouseholdPeriod> periods)
    {
        if (!d.Allows(DataCategory.Resident) || periods.Count == 0)
        {
            return Markup.Empty;
        }

        return H($"""
            <section id="household-history"><h2>{ui.T("世帯の履歴", "Households over time")}</h2>
            {Each(periods, h => HouseholdPeriodTable(ui, h))}
            </section>
            """);
    }

    private static Markup HouseholdPeriodTable(Ui ui, HouseholdPeriod h)
    {
        Markup Period(DateOnly? from, DateOnly? to) => H($"{(from is null ? ui.T("（記録以前）", "(before the records)") : Labels.Date(ui, from))} ～ {(to is null ? ui.T("現在", "now") : Labels.Date(ui, to))}");
        string Link(string? link) => link switch
        {
            "guardian" => ui.T("保護者", "Guardian"),
            "ward" => ui.T("監護する子", "Ward"),
            "sibling" => ui.T("きょうだい", "Sibling"),
            _ => string.Empty,
        };
        var ended = h.EndedBy switch
        {
            "move_out" => ui.T("転出", "moved out"),
            "death" => ui.T("死亡", "death"),
            "next_household" => ui.T("別世帯へ", "to another household"),
            _ => string.Empty,
        };
        return H($"""
            <h3>{ui.T("世帯番号", "Household")} {h.HouseholdNo}（{RelationLabel(ui, h.Relation)}）: {Period(h.From, h.To)}{(ended.Length > 0 ? " " + ended : string.Empty)}{(h.Current ? ui.T("（現世帯）", " (current)") : string.Empty)}</h3>
            <table class="household-history">
            <thead><tr><th>{ui.T("続柄", "Relation")}</th><th>{ui.T("氏名", "Name")}</th><th>{ui.T("生年月日", "Date of birth")}</th><th>{ui.T("同世帯の期間", "In the household")}</th><th>{ui.T("関係", "Link")}</th></tr></thead>
            <tbody>
            {Each(h.Members, m => H($"<tr><td>{RelationLabel(ui, m.Relation)}</td><td><a href=\"/children/{m.PersonId}\">{m.FamilyName} {m.GivenName}</a></td><td>{Labels.Date(ui, m.BirthDate)}</td><td>{Period(m.From, m.To)}</td><td>{Link(m.Link)}</td></tr>"))}
            </tbody>
            </table>
            """);
    }

    /// <summary>The registry's 続柄 as staff read it; values already in Japanese pass through.</summary>
    private static string RelationLabel(Ui ui, string relation) => relation switch
    {
        "head" => ui.T("世帯主", "Head"),
        "spouse" => ui.T("配偶者", "Spouse"),
        "child" => ui.T("子", "Child"),
        "parent" => ui.T("父母", "Parent"),
        "grandchild" => ui.T("孫", "Grandchild"),
        "sibling" => ui.T("兄弟姉妹", "Sibling"),
        "child_in_law" => ui.T("子の配偶者", "Child-in-law"),
        "parent_in_law" => ui.T("配偶者の父母", "Parent-in-law"),
        "other" => ui.T("その他", "Other"),
        _ => relation,
    };

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

    /// <summary>The minimum length of a break-glass reason: a few words a reviewer can check, not a single keystroke.</summary>
    internal const int MinimumReasonLength = 10;

    /// <summary>A stored UTC timestamp as a 和暦 date and time in Japan, as staff read it.</summary>
    internal static string When(Ui ui, string utc)
    {
        if (!DateTimeOffset.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return utc;
        }

        var local = JapanTime.ToJapan(at);
        return Labels.Date(ui, DateOnly.FromDateTime(local.DateTime)) + " " + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static Markup Banner(Ui ui, BreakGlassGrant grant) => H($"""
        <div class="break-glass-banner" role="alert">
        <strong>{ui.T("緊急アクセス中", "Emergency access in force")}</strong>
        {ui.T("担当範囲外のこどもを緊急時の理由により閲覧しています。", "You are viewing a child outside your scope on an emergency reason.")}
        {ui.T("理由", "Reason")}: <span class="break-glass-reason">{grant.Reason}</span>。
        {ui.T("有効期限", "Expires")}: <span class="break-glass-expires">{When(ui, grant.ExpiresAt)}</span>。
        {ui.T("この利用は個人情報保護担当に通知され、確認されます。", "The privacy officer is alerted and reviews this use.")}
        </div>
        """);

    private static Markup BreakGlassForm(Ui ui, long id, string? error) => H($"""
        <section id="break-glass" class="break-glass-form">
        <h2>{ui.T("緊急時の閲覧（ブレークグラス）", "Emergency access (break-glass)")}</h2>
        <p>{ui.T("こどもの生命・身体を守るため緊急に必要な場合に限り、このこどもだけを一定時間閲覧できます。理由は記録され、個人情報保護担当が確認します。", "Only when urgently needed to protect a child's life or body: this one child opens for a limited time. The reason is recorded and the privacy officer reviews it.")}</p>
        {(error is null ? Markup.Empty : H($"<p class=\"error\">{error}</p>"))}
        <form method="post" action="/children/{id}/break-glass">{AntiforgeryCheck.Field(ui.Http)}
        <label for="break-glass-reason">{ui.T("理由（必須）", "Reason (required)")}</label>
        <textarea id="break-glass-reason" name="reason" required minlength="{MinimumReasonLength}" rows="3"></textarea>
        <button type="submit" class="danger">{ui.T("緊急時の閲覧を開始する", "Open in an emergency")}</button>
        </form>
        </section>
        """);

    private static async Task<IResult> BreakGlass(long id, HttpContext http, AccessPolicy policy, ChildQuery query, BreakGlassGrants grants, AccessAudit audit, TimeProvider clock, TimeSpan duration)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayBreakGlass(policy, user))
        {
            audit.Record(http, user, Purpose.BreakGlass, AuditAction.BreakGlass, subject, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("この役割では緊急時の閲覧はできません（アクセス方針による）。", "Your role may not use emergency access (access policy)."));
        }

        var form = await http.Request.ReadFormAsync();
        var reason = form["reason"].ToString().Trim();
        if (reason.Length < MinimumReasonLength)
        {
            audit.Record(http, user, Purpose.BreakGlass, AuditAction.BreakGlass, subject, [], [], "refused:no_reason");
            return Layout.Page(ui, ui.T("緊急時の閲覧", "Emergency access"), BreakGlassForm(ui, id, ui.T($"理由を{MinimumReasonLength}文字以上で書いてください。", $"Write the reason in at least {MinimumReasonLength} characters.")), StatusCodes.Status400BadRequest);
        }

        if (query.Load(id, Scope.All, JapanTime.Today(clock), []) is null)
        {
            audit.Record(http, user, Purpose.BreakGlass, AuditAction.BreakGlass, subject, [], [], "not_found");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいません。", "No such person.")}</p>"), StatusCodes.Status404NotFound);
        }

        var grant = grants.Grant(user.Name, user.Role, user.Organisation, id, reason, clock.GetUtcNow(), duration);
        audit.Record(http, user, Purpose.BreakGlass, AuditAction.BreakGlass, subject, [], ["reason", "expires_at:" + grant.ExpiresAt], "granted:" + grant.GrantId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}", permanent: false, preserveMethod: false);
    }

    private static Markup Assignments(Ui ui, long personId, CaseAssignments cases, UserStore users)
    {
        var all = cases.Of(personId);
        var current = all.Where(a => a.EndedAt is null).ToList();
        var supervisor = ui.User!.Role == Role.Supervisor;
        var staff = supervisor ? users.Staff(Role.Caseworker, Role.HealthNurse, Role.Supervisor) : [];
        return H($"""
            <section id="assignment">
            <h2>{ui.T("担当", "Case assignment")}</h2>
            {(current.Count == 0 ? H($"<p class=\"missing\">{ui.T("担当者は割り当てられていません。", "No one is assigned.")}</p>") : H($"""
                <table class="assignments">
                <thead><tr><th>{ui.T("担当者", "Assigned to")}</th><th>{ui.T("所属", "Organisation")}</th><th>{ui.T("割り当て", "Assigned")}</th><th>{ui.T("理由", "Reason")}</th><th></th></tr></thead>
                <tbody>{Each(current, a => H($"<tr class=\"assignment\"><td class=\"assignee\">{a.UserName}</td><td>{a.Organisation}</td><td>{When(ui, a.AssignedAt)}（{a.AssignedBy}）</td><td>{a.Reason}</td><td>{(supervisor ? H($"<form method=\"post\" action=\"/children/{personId}/assignments/{a.AssignmentId}/end\">{AntiforgeryCheck.Field(ui.Http)}<button type=\"submit\">{ui.T("担当を終える", "End")}</button></form>") : Markup.Empty)}</td></tr>"))}</tbody>
                </table>
                """))}
            {(supervisor ? H($"""
                <form method="post" action="/children/{personId}/assignments" class="assign">{AntiforgeryCheck.Field(ui.Http)}
                <label for="assign-user">{ui.T("担当者", "Assign to")}</label>
                <select id="assign-user" name="user">{Each(staff, u => H($"<option value=\"{u.Name}\">{u.DisplayName}（{u.Organisation}）</option>"))}</select>
                <label for="assign-reason">{ui.T("理由", "Reason")}</label>
                <input id="assign-reason" name="reason" required>
                <button type="submit">{ui.T("担当を割り当てる", "Assign")}</button>
                </form>
                """) : Markup.Empty)}
            </section>
            """);
    }

    private static async Task<IResult> Assign(long id, HttpContext http, AccessPolicy policy, ChildQuery query, CaseAssignments cases, UserStore users, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (user.Role != Role.Supervisor)
        {
            audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment"], "denied");
            return Layout.Forbidden(ui, ui.T("担当の割り当ては統括のみが行えます。", "Only a supervisor assigns cases."));
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories) is null)
        {
            audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment"], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する方がいないか、閲覧できる範囲の外です。", "No such person, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        var form = await http.Request.ReadFormAsync();
        var assignee = users.Find(form["user"].ToString().Trim())?.User;
        var reason = form["reason"].ToString().Trim();
        if (assignee is null || reason.Length == 0)
        {
            return Layout.Page(ui, ui.T("担当を割り当てられませんでした", "Not assigned"), H($"<p class=\"error\">{ui.T("担当者と理由を確かめてください。", "Check the assignee and the reason.")}</p><p><a href=\"/children/{id}#assignment\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        var assignment = cases.Assign(id, assignee.Name, assignee.Organisation, reason, user.Name, clock.GetUtcNow());
        audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment:" + assignee.Name], "assigned:" + assignment.AssignmentId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}#assignment");
    }

    private static IResult EndAssignment(long id, long assignment, HttpContext http, AccessPolicy policy, ChildQuery query, CaseAssignments cases, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (user.Role != Role.Supervisor)
        {
            audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment"], "denied");
            return Layout.Forbidden(ui, ui.T("担当の割り当ては統括のみが行えます。", "Only a supervisor assigns cases."));
        }

        var d = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (query.Load(id, user.Scope, JapanTime.Today(clock), d.AllowedCategories) is null || !cases.End(id, assignment, user.Name, clock.GetUtcNow()))
        {
            audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment"], "not_found");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当する担当がありません。", "No such assignment.")}</p>"), StatusCodes.Status404NotFound);
        }

        audit.Record(http, user, Purpose.SupportDecision, AuditAction.Change, subject, [], ["case_assignment"], "ended:" + assignment.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}#assignment");
    }
}
