using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// 見守りリスト: the children with at least one need above band none, in the user's scope, with difficulties, bands
/// (and what they mean) and the main reasons in words. Each child listed is recorded in the audit trail.
/// </summary>
public static class WorklistPages
{
    private static readonly int[] PageSizes = [25, 50, 100, 200];

    // The keys a saved view may hold: the filters, order and page size; never a page number or anything else.
    private static readonly string[] FilterKeys = ["difficulty", "band", "status", "school", "area", "minAge", "maxAge", "sort", "pageSize"];

    /// <summary>Maps <c>/</c>.</summary>
    public static IEndpointRouteBuilder MapWorklistPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Show).RequireAuthorization();
        app.MapGet("/worklist/export.xlsx", WorklistExport.Export).RequireAuthorization();
        app.MapPost("/worklist/views", SaveView).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/worklist/views/{id:long}/delete", DeleteView).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>A worklist page read under the policy, with the disclosure used to show it.</summary>
    /// <param name="ShowsJudgements">Whether the user's role may see decisions (those allowed to take them).</param>
    internal sealed record Reading(Disclosure.Disclosure Disclosure, WorklistPage Page, WorklistRequest Request, bool ShowsJudgements);

    /// <summary>
    /// Reads the page for the user (null when the role sees no child data: the refusal is audited) and records one
    /// search event per child on it.
    /// </summary>
    internal static Reading? Read(HttpContext http, User user, AccessPolicy policy, WorklistQuery query, AccessAudit audit, TimeProvider clock)
    {
        var disclosure = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (!disclosure.SeesAnything)
        {
            audit.Record(http, user, Purpose.EarlySupport, AuditAction.Search, "worklist", [], [], "denied");
            return null;
        }

        var showsJudgements = JudgementPages.MayDecide(policy, user);
        var request = ParseRequest(http, user, disclosure, showsJudgements, clock);
        var result = query.Run(request);
        audit.RecordAll(Events(http, user, disclosure, audit, result.Rows, showsJudgements, AuditAction.Search));
        return new Reading(disclosure, result, request, showsJudgements);
    }

    /// <summary>The filters, order and page asked for in the query string; unknown values are ignored, not errors.</summary>
    internal static WorklistRequest ParseRequest(HttpContext http, User user, Disclosure.Disclosure disclosure, bool showsJudgements, TimeProvider clock)
    {
        var q = http.Request.Query;
        var difficulty = q["difficulty"].ToString();
        var band = q["band"].ToString();
        var status = q["status"].ToString();
        var yotaikyo = q["yotaikyo"].ToString();
        var school = q["school"].ToString().Trim();
        var area = q["area"].ToString().Trim();
        var sort = q["sort"].ToString();
        var assigned = q["assigned"].ToString();
        static int? Age(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a <= 25 ? a : null;
        return new WorklistRequest(
            user.Scope,
            JapanTime.Today(clock),
            Labels.Difficulties.Contains(difficulty) ? difficulty : null,
            band is "high" or "medium" or "low" ? band : null,
            int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1,
            int.TryParse(q["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? Math.Min(size, 200) : 50,
            disclosure.AllowedCategories,
            showsJudgements && JudgementStatus.All.Contains(status, StringComparer.Ordinal) && (status != JudgementStatus.NotRegistered || TracksYotaikyo(disclosure)) ? status : null,
            showsJudgements && TracksYotaikyo(disclosure) && YotaikyoFilter.All.Contains(yotaikyo, StringComparer.Ordinal) ? yotaikyo : null,
            school.Length is > 0 and <= 200 ? school : null,
            area.Length is > 0 and <= 200 ? area : null,
            Age(q["minAge"]),
            Age(q["maxAge"]),
            WorklistSort.All.Contains(sort, StringComparer.Ordinal) && sort != WorklistSort.Priority ? sort : null,
            showsJudgements && WorklistAssigned.All.Contains(assigned, StringComparer.Ordinal) ? assigned : null,
            user.Name);
    }

    // A 要対協 registration is child-welfare data: filtering on it would tell a role without child welfare who is registered.
    internal static bool TracksYotaikyo(Disclosure.Disclosure disclosure) => disclosure.Allows(DataCategory.ChildWelfare);

    /// <summary>The request's filters as query-string pairs (page excluded), for links, saved views and the export.</summary>
    internal static Dictionary<string, string?> FilterPairs(WorklistRequest r) => new Dictionary<string, string?>
    {
        ["difficulty"] = r.Difficulty,
        ["band"] = r.Band,
        ["status"] = r.Status,
        ["yotaikyo"] = r.Yotaikyo,
        ["assigned"] = r.Assigned,
        ["school"] = r.School,
        ["area"] = r.Area,
        ["minAge"] = r.MinAge?.ToString(CultureInfo.InvariantCulture),
        ["maxAge"] = r.MaxAge?.ToString(CultureInfo.InvariantCulture),
        ["sort"] = r.Sort,
        ["pageSize"] = r.PageSize == 50 ? null : r.PageSize.ToString(CultureInfo.InvariantCulture),
    }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>The query string of the request's filters, without '?'.</summary>
    internal static string FilterQuery(WorklistRequest r) => QueryString.Create(FilterPairs(r)).ToUriComponent().TrimStart('?');

    /// <summary>One event per child shown or exported: the categories and fields the user actually received.</summary>
    internal static List<AuditEvent> Events(HttpContext http, User user, Disclosure.Disclosure disclosure, AccessAudit audit, IEnumerable<WorklistRow> rows, bool showsJudgements, string action) =>
        rows.Select(row =>
        {
            var shownReasons = row.TopReasons.Select(r => r.Signal).Where(disclosure.Shows);
            var categories = new List<string> { DataCategory.Resident };
            var fields = new List<string> { "name", "kana", "age", "needs", "reasons" };
            if (showsJudgements)
            {
                fields.Add("judgement");
            }

            if (disclosure.Allows(DataCategory.Education))
            {
                categories.Add(DataCategory.Education);
                fields.Add("school");
            }

            categories.AddRange(disclosure.CategoriesOf(shownReasons));
            return audit.Event(http, user, Purpose.EarlySupport, action, "person:" + row.PersonId.ToString(CultureInfo.InvariantCulture), categories, fields, "allowed");
        }).ToList();

    private static IResult Show(HttpContext http, AccessPolicy policy, WorklistQuery query, AccessAudit audit, TimeProvider clock, WorklistViews views)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var reading = Read(http, user, policy, query, audit, clock);
        if (reading is null)
        {
            return Layout.Forbidden(ui, ui.T("この役割ではこどもの情報を閲覧できません（アクセス方針による）。", "Your role may not see children's data (access policy)."));
        }

        var d = reading.Disclosure;
        var page = reading.Page;
        var purpose = policy.Purpose(Purpose.EarlySupport);
        var body = H($"""
            <p class="notice">{ui.T("支援が必要かもしれないこどもの一覧です。リストは判断の材料であり、支援の要否は担当者が判断します。段階は確認の優先度の目安で、確率ではありません。", "Children who may need support. The list informs a decision; a person decides. Bands say how soon to look, they are not probabilities.")}
              <br>{ui.T("利用目的", "Purpose")}: {ui.T(purpose.Ja, purpose.En)}</p>
            <dl class="legend">{Each(Labels.Bands.Take(3), b => H($"<dt><span class=\"band band-{b}\">{Labels.Band(ui, b)}</span></dt><dd>{Labels.BandMeaning(ui, b)}</dd>"))}</dl>
            {Filters(ui, reading.Request, reading.ShowsJudgements, TracksYotaikyo(d), query.Schools(), query.Areas(user.Scope, d.AllowedCategories))}
            {SavedViews(ui, views.ForUser(user.Name), FilterQuery(reading.Request))}
            <p class="count">{ui.T($"{page.Total}人", $"{page.Total} children")}{If(page.Total > 0, H($"（{Each(Labels.Bands.Take(3).Where(b => page.ByBand.ContainsKey(b)), b => H($"<span class=\"band-count\" data-band=\"{b}\">{Labels.Band(ui, b)} {page.ByBand[b]}</span> "))}）"))}
              <a class="export" href="/worklist/export.xlsx{(FilterQuery(reading.Request) is { Length: > 0 } fq ? "?" + fq : string.Empty)}">{ui.T("この条件の一覧をExcelで書き出す（記録されます）", "Export this list to Excel (recorded)")}</a></p>
            <table class="worklist">
            <thead><tr><th>{ui.T("氏名", "Name")}</th><th>{ui.T("ふりがな", "Reading")}</th><th>{ui.T("年齢", "Age")}</th><th>{ui.T("学校", "School")}</th><th>{ui.T("支援の必要性", "Needs")}</th><th>{ui.T("主な理由", "Main reasons")}</th>{If(reading.ShowsJudgements, H($"<th>{ui.T("判定", "Decision")}</th>"))}</tr></thead>
            <tbody>
            {Each(page.Rows, row => Row(ui, d, row, reading.ShowsJudgements))}
            </tbody>
            </table>
            {Pager(ui, reading)}
            """);
        return Layout.Page(ui, ui.T("見守りリスト", "Watch list"), body);
    }

    private static Markup Row(Ui ui, Disclosure.Disclosure d, WorklistRow row, bool showsJudgements)
    {
        var school = d.Allows(DataCategory.Education)
            ? H($"{row.School ?? "—"}")
            : Layout.Masked(ui, ui.T("教育情報の閲覧権限がありません", "No access to education data"));
        return H($"""
            <tr data-person="{row.PersonId}">
            <td><a href="/children/{row.PersonId}">{row.FamilyName} {row.GivenName}</a></td>
            <td>{row.FamilyKana} {row.GivenKana}</td>
            <td>{Labels.Age(ui, row.Age)}</td>
            <td>{school}</td>
            <td>{Each(row.Needs, n => d.Shows(n.Signals) ? H($"<div class=\"need\">{Labels.Difficulty(ui, n.Difficulty)}: {BandLabel(ui, n.Band)}</div>") : H($"<div class=\"need\">{HiddenConcern(ui)}</div>"))}</td>
            <td><ul class="reasons">{Each(row.TopReasons, r => Reason(ui, d, r.Signal))}</ul></td>
            {If(showsJudgements, H($"<td class=\"judgement-status\">{JudgementCell(ui, row.Judgement, TracksYotaikyo(d))}</td>"))}
            </tr>
            """);
    }

    /// <summary>Where the child stands: the current decision (and a missing 要対協 registration), or not yet decided.</summary>
    /// <param name="ui">The page's language and user.</param>
    /// <param name="j">The child's decision status.</param>
    /// <param name="tracksYotaikyo">Whether the user may see 要対協 registrations (child-welfare data).</param>
    internal static string JudgementText(Ui ui, WorklistJudgement j, bool tracksYotaikyo)
    {
        if (j.Decision is null)
        {
            return JudgementPages.StatusLabel(ui, j.OnAgenda ? JudgementStatus.OnAgenda : JudgementStatus.Undecided);
        }

        var text = JudgementPages.DecisionLabel(ui, j.Decision);
        return tracksYotaikyo && j.Decision is (Decision.SupportNeeded or Decision.Refer) && !j.RegisteredWithYotaikyo ? text + ui.T("（要対協未登録）", " (not registered with 要対協)") : text;
    }

    private static Markup JudgementCell(Ui ui, WorklistJudgement j, bool tracksYotaikyo) =>
        H($"""<span class="{(j.Decision is null ? "undecided" : "decided")}">{JudgementText(ui, j, tracksYotaikyo)}</span>{(j.DecidedAt is { } at ? H($"""<br><span class="note">{Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(at).DateTime))}</span>""") : Markup.Empty)}""");

    /// <summary>A need whose every reason is withheld: flagged, not named.</summary>
    internal static Markup HiddenConcern(Ui ui) =>
        Layout.Masked(ui, ui.T("閲覧権限のない区分の情報に基づく懸念があります（内容は権限のある職員に確認してください）", "A concern based on data you may not see (ask staff who have access)"));

    /// <summary>A band with its meaning written next to it.</summary>
    internal static Markup BandLabel(Ui ui, string band) =>
        H($"<span class=\"band band-{band}\">{Labels.Band(ui, band)}</span> <span class=\"band-meaning\">{Labels.BandMeaning(ui, band)}</span>");

    private static Markup Reason(Ui ui, Disclosure.Disclosure d, NeedSignal s) =>
        d.Shows(s)
            ? H($"<li>{ui.T(s.Ja, s.En)}</li>")
            : H($"<li>{Layout.Masked(ui, ui.T("閲覧権限のない区分の情報に基づく理由です", "Based on data you may not see"))}</li>");

    private static Markup Filters(Ui ui, WorklistRequest r, bool showsJudgements, bool tracksYotaikyo, IReadOnlyList<string> schools, IReadOnlyList<string> areas) => H($"""
        <form class="filters" method="get" action="/">
          <label>{ui.T("困りごと", "Difficulty")}
            <select name="difficulty"><option value="">{ui.T("すべて", "All")}</option>
            {Each(Labels.Difficulties, x => H($"<option value=\"{x}\"{Selected(x == r.Difficulty)}>{Labels.Difficulty(ui, x)}</option>"))}
            </select></label>
          <label>{ui.T("段階", "Band")}
            <select name="band"><option value="">{ui.T("すべて", "All")}</option>
            {Each(Labels.Bands.Take(3), x => H($"<option value=\"{x}\"{Selected(x == r.Band)}>{Labels.Band(ui, x)}</option>"))}
            </select></label>
          {If(showsJudgements, H($"""
            <label>{ui.T("判定状況", "Decision status")}
            <select name="status"><option value="">{ui.T("すべて", "All")}</option>
            {Each(JudgementStatus.All.Where(x => tracksYotaikyo || x != JudgementStatus.NotRegistered), x => H($"<option value=\"{x}\"{Selected(x == r.Status)}>{JudgementPages.StatusLabel(ui, x)}</option>"))}
            </select></label>
            """))}
          {If(showsJudgements && tracksYotaikyo, H($"""
            <label>{ui.T("要対協", "要対協")}
            <select name="yotaikyo"><option value="">{ui.T("すべて", "All")}</option>
            {Each(YotaikyoFilter.All, x => H($"<option value=\"{x}\"{Selected(x == r.Yotaikyo)}>{YotaikyoPages.FilterLabel(ui, x)}</option>"))}
            </select></label>
            """))}
          {If(showsJudgements, H($"""
            <label>{ui.T("担当者", "Assigned worker")}
            <select name="assigned"><option value="">{ui.T("すべて", "All")}</option>
            {Each(WorklistAssigned.All, x => H($"<option value=\"{x}\"{Selected(x == r.Assigned)}>{AssignedLabel(ui, x)}</option>"))}
            </select></label>
            """))}
          <label>{ui.T("学校", "School")}
            <select name="school"><option value="">{ui.T("すべて", "All")}</option>
            {Each(schools, x => H($"<option value=\"{x}\"{Selected(x == r.School)}>{x}</option>"))}
            </select></label>
          <label>{ui.T("地域（町丁目）", "Area (町丁目)")}
            <select name="area"><option value="">{ui.T("すべて", "All")}</option>
            {Each(areas, x => H($"<option value=\"{x}\"{Selected(x == r.Area)}>{x}</option>"))}
            </select></label>
          <label>{ui.T("年齢", "Age")} <input name="minAge" type="number" min="0" max="25" size="3" value="{r.MinAge?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}" aria-label="{ui.T("年齢（から）", "Age from")}"></label>
          <label>{ui.T("〜", "to")} <input name="maxAge" type="number" min="0" max="25" size="3" value="{r.MaxAge?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}" aria-label="{ui.T("年齢（まで）", "Age to")}"></label>
          <label>{ui.T("並び順", "Order")}
            <select name="sort">{Each(WorklistSort.All, x => H($"<option value=\"{x}\"{Selected(x == (r.Sort ?? WorklistSort.Priority))}>{SortLabel(ui, x)}</option>"))}</select></label>
          <label>{ui.T("表示件数", "Per page")}
            <select name="pageSize">{Each(PageSizes, x => H($"<option value=\"{x}\"{Selected(x == r.PageSize)}>{x}</option>"))}</select></label>
          <button type="submit">{ui.T("絞り込む", "Filter")}</button>
        </form>
        """);

    private static string AssignedLabel(Ui ui, string assigned) => assigned switch
    {
        WorklistAssigned.Mine => ui.T("自分の担当", "My cases"),
        WorklistAssigned.Any => ui.T("担当者あり", "Assigned"),
        _ => ui.T("担当者なし", "Not assigned"),
    };

    private static string SortLabel(Ui ui, string sort) => sort switch
    {
        WorklistSort.Kana => ui.T("ふりがな順", "By reading"),
        WorklistSort.Youngest => ui.T("年齢の低い順", "Youngest first"),
        WorklistSort.Oldest => ui.T("年齢の高い順", "Oldest first"),
        _ => ui.T("優先度順（段階・スコア）", "Priority (band, score)"),
    };

    /// <summary>The user's saved views as links, each with a delete button, and a form to save the current filters.</summary>
    private static Markup SavedViews(Ui ui, IReadOnlyList<WorklistView> views, string currentQuery) => H($"""
        <section class="saved-views" aria-labelledby="saved-views-title">
          <h2 id="saved-views-title">{ui.T("保存した条件", "Saved views")}</h2>
          {(views.Count == 0 ? H($"<p class=\"note\">{ui.T("まだありません。", "None yet.")}</p>") : H($"""<ul>{Each(views, v => H($"<li class=\"saved-view\"><a href=\"/{(v.Query.Length > 0 ? "?" + v.Query : string.Empty)}\">{v.Name}</a> <form method=\"post\" action=\"/worklist/views/{v.ViewId}/delete\" class=\"inline\">{AntiforgeryCheck.Field(ui.Http)}<button type=\"submit\" aria-label=\"{ui.T("削除", "Delete")}: {v.Name}\">{ui.T("削除", "Delete")}</button></form></li>"))}</ul>"""))}
          <form method="post" action="/worklist/views" class="save-view">
            {AntiforgeryCheck.Field(ui.Http)}
            <input type="hidden" name="query" value="{currentQuery}">
            <label>{ui.T("今の条件を保存", "Save the current filters as")} <input name="name" id="view-name" maxlength="{WorklistViews.MaxNameLength}" required></label>
            <button type="submit">{ui.T("保存", "Save")}</button>
          </form>
        </section>
        """);

    private static async Task<IResult> SaveView(HttpContext http, AccessPolicy policy, WorklistViews views, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (RefusedView(http, ui, policy, audit, "worklist-view") is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync();
        var name = form["name"].ToString().Trim();
        if (name.Length == 0)
        {
            return Results.Redirect("/");
        }

        // Only the filter keys the list understands are kept: a view is a filter, never a list of children.
        var asked = QueryHelpers.ParseQuery("?" + form["query"]);
        var kept = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in FilterKeys)
        {
            if (asked.TryGetValue(key, out var value) && value.ToString().Length is > 0 and <= 200)
            {
                kept[key] = value.ToString();
            }
        }

        var query = QueryString.Create(kept).ToUriComponent().TrimStart('?');
        var view = views.Save(user.Name, name, query, clock.GetUtcNow());
        audit.Record(http, user, Purpose.EarlySupport, AuditAction.Change, "worklist-view:" + view.ViewId.ToString(CultureInfo.InvariantCulture), [], ["name", "filters"], "allowed");
        return Results.Redirect("/" + (query.Length > 0 ? "?" + query : string.Empty));
    }

    private static IResult DeleteView(HttpContext http, long id, AccessPolicy policy, WorklistViews views, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (RefusedView(http, ui, policy, audit, "worklist-view:" + id.ToString(CultureInfo.InvariantCulture)) is { } refused)
        {
            return refused;
        }

        var deleted = views.Delete(user.Name, id);
        audit.Record(http, user, Purpose.EarlySupport, AuditAction.Change, "worklist-view:" + id.ToString(CultureInfo.InvariantCulture), [], ["deleted"], deleted ? "allowed" : "denied");
        return Results.Redirect("/");
    }

    // Saved views belong to the watch list: a role that may not see it has nothing to filter, so it keeps no views.
    private static IResult? RefusedView(HttpContext http, Ui ui, AccessPolicy policy, AccessAudit audit, string subject)
    {
        var user = ui.User!;
        if (new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).SeesAnything)
        {
            return null;
        }

        audit.Record(http, user, Purpose.EarlySupport, AuditAction.Change, subject, [], [], "denied");
        return Layout.Forbidden(ui, ui.T("この役割では見守りリストを閲覧できないため、条件も保存できません（アクセス方針による）。", "Your role may not see the watch list, so it keeps no saved views (access policy)."));
    }

    private static Markup Selected(bool selected) => selected ? H($" selected") : Markup.Empty;

    private static Markup Pager(Ui ui, Reading reading)
    {
        var page = reading.Page;
        if (page.Pages <= 1)
        {
            return Markup.Empty;
        }

        string Link(int n)
        {
            var pairs = FilterPairs(reading.Request);
            pairs["page"] = n.ToString(CultureInfo.InvariantCulture);
            return "/" + QueryString.Create(pairs);
        }

        return H($"""
            <p class="pager">
            {If(page.Page > 1, H($"<a href=\"{Link(page.Page - 1)}\">{ui.T("前へ", "Previous")}</a>"))}
            <span>{page.Page} / {page.Pages}</span>
            {If(page.Page < page.Pages, H($"<a href=\"{Link(page.Page + 1)}\">{ui.T("次へ", "Next")}</a>"))}
            </p>
            """);
    }
}
