using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Privacy.Statistics;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// Dashboards: counts only, drawn here as inline SVG (no script, no outside request) with the same figures in a table
/// beside each chart for screen readers. Needs by area or school, by difficulty and age, their trend across detection
/// runs, outreach uptake per campaign and wording, and judgement throughput. Every count from 1 to 4 is withheld, and
/// where a shown total would give a withheld count back, another figure is withheld too (<see cref="SmallCounts"/>).
/// </summary>
public static class DashboardPages
{
    private static readonly string[] Palette = ["#1f5f8b", "#9a6700", "#2e6b3a", "#7a3e9d", "#5b6774", "#b3261e"];

    /// <summary>Maps <c>/dashboard</c>.</summary>
    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", Show).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Who may see the dashboards: city-wide counts, so users whose scope is the whole city and whose role the policy
    /// allows the aggregate-only purpose.
    /// </summary>
    internal static bool MaySee(AccessPolicy policy, User user) =>
        user.Scope.Kind == ScopeKind.All && policy.SeesChildren(user, Purpose.Statistics);

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MaySee(AccessPolicy.Default, user) ? H($"<a href=\"/dashboard\">{ui.T("ダッシュボード", "Dashboards")}</a>") : Markup.Empty;

    private static IResult Show(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MaySee(policy, user))
        {
            audit.Record(http, user, Purpose.Statistics, AuditAction.View, "dashboard", [], [], "denied");
            return Layout.Forbidden(ui, ui.T("ダッシュボードは、市全体を担当し集計の閲覧が認められた役割のみが閲覧できます。", "Only city-wide roles the policy allows aggregate figures may see the dashboards."));
        }

        var bySchool = http.Request.Query["by"] == "school";
        var query = new DashboardQuery(db);
        var categories = policy.DecideAll(user, Purpose.Statistics).Where(d => d.Value.IsVisible).Select(d => d.Key).ToList();
        audit.Record(http, user, Purpose.Statistics, AuditAction.View, "dashboard", categories, ["aggregate_counts"], "allowed");

        var area = query.NeedsByArea(bySchool);
        var ages = query.NeedsByDifficultyAndAge(JapanTime.Today(clock));
        var trend = query.Trend();
        var outreach = query.OutreachUptake();
        var decisions = Throughput(query.Decisions());
        string Unknown(string key) => key.Length == 0 ? (bySchool ? ui.T("学校の記録なし", "No school record") : ui.T("住所不明", "Address unknown")) : key;

        var body = H($"""
            <p class="notice">{ui.T("件数の集計だけを表示します。個人は表示しません。1〜4件の欄は「<5」と表示し、合計から差し引いて分からないよう、ほかの欄も伏せることがあります（二次秘匿）。", "Counts only; no child is shown. Counts from 1 to 4 show as \"<5\", and another figure may be withheld too so that a total cannot give them back (secondary suppression).")}</p>
            <section aria-labelledby="by-area">
            <h2 id="by-area">{ui.T("地域別の支援の必要性", "Needs by area")}</h2>
            <p class="periods">{(bySchool ? H($"<a href=\"/dashboard\">{ui.T("町丁目別", "By 町丁目")}</a> <strong>{ui.T("学校別", "By school")}</strong>") : H($"<strong>{ui.T("町丁目別", "By 町丁目")}</strong> <a href=\"/dashboard?by=school\">{ui.T("学校別", "By school")}</a>"))}</p>
            <p class="note">{ui.T("こどもは最も高い段階で1回だけ数えます。", "Each child counts once, under their highest band.")}</p>
            {Stacked(ui, "area-chart", ui.T("地域別・段階別のこどもの数", "Children by area and band"), area, SmallCounts.Suppress(area.Counts, true, true), Unknown, b => Labels.Band(ui, b), true)}
            </section>
            <section aria-labelledby="by-age">
            <h2 id="by-age">{ui.T("困りごと別・年齢別（段階「高」「中」）", "By difficulty and age (bands high and medium)")}</h2>
            <p class="note">{ui.T("困りごとが複数あるこどもは、それぞれの困りごとで数えます（列の合計は表示しません）。", "A child with several difficulties counts under each (no column totals).")}</p>
            {Stacked(ui, "age-chart", ui.T("困りごと別・年齢別のこどもの数", "Children by difficulty and age"), ages, SmallCounts.Suppress(ages.Counts, true, false), d => Labels.Difficulty(ui, d), a => ui.T(a + "歳", "age " + a), false)}
            </section>
            <section aria-labelledby="trend">
            <h2 id="trend">{ui.T("推移（判定の基準日ごと）", "Over time (by detection reference date)")}</h2>
            {Trend(ui, trend)}
            </section>
            <section aria-labelledby="outreach">
            <h2 id="outreach">{ui.T("お知らせへの反応（キャンペーン・文面別、世帯数）", "Outreach uptake (per campaign and wording, households)")}</h2>
            {(outreach.Rows.Count == 0 ? H($"<p class=\"missing\">{ui.T("送付済みのお知らせはまだありません。", "No outreach has been sent yet.")}</p>") : Stacked(ui, "outreach-chart", ui.T("お知らせへの反応", "Outreach uptake"), outreach, SmallCounts.Suppress(outreach.Counts, true, true), r => r, a => Answer(ui, a), true))}
            </section>
            <section aria-labelledby="throughput">
            <h2 id="throughput">{ui.T("判定の件数（月別・判定別）", "Decisions recorded (per month and decision)")}</h2>
            {(decisions.Rows.Count == 0 ? H($"<p class=\"missing\">{ui.T("記録された判定はまだありません。", "No decision has been recorded yet.")}</p>") : Stacked(ui, "throughput-chart", ui.T("月別の判定件数", "Decisions per month"), decisions, SmallCounts.Suppress(decisions.Counts, true, true), m => Month(ui, m), d => JudgementPages.DecisionLabel(ui, d), true))}
            </section>
            """);
        return Layout.Page(ui, ui.T("ダッシュボード", "Dashboards"), body);
    }

    /// <summary>Decisions per month (Japan time) by decision, months in order.</summary>
    public static CountGrid Throughput(IEnumerable<(DateTimeOffset DecidedAt, string Decision)> decisions) =>
        CountGrid.From(decisions.Select(d => (JapanTime.ToJapan(d.DecidedAt).ToString("yyyy-MM", CultureInfo.InvariantCulture), d.Decision)), Storage.Judgement.Decision.All);

    private static string Month(Ui ui, string yyyyMm)
    {
        var first = DateOnly.ParseExact(yyyyMm + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var wareki = Kernel.Dates.Wareki.Format(first);
        return ui.Lang == "ja" ? wareki[..(wareki.IndexOf('月', StringComparison.Ordinal) + 1)] : first.ToString("MMM yyyy", CultureInfo.InvariantCulture);
    }

    private static string Answer(Ui ui, string answer) => answer switch
    {
        "applied" => ui.T("申込", "Applied"),
        "declined" => ui.T("辞退", "Declined"),
        "opted_out" => ui.T("配信停止", "Opted out"),
        _ => ui.T("回答なし", "No answer"),
    };

    private static string Figure(Ui ui, long? n, bool suppressed) =>
        n is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : suppressed ? "<5" : "—";

    private static Markup Cell(Ui ui, long? n, bool suppressed) =>
        n is null && suppressed ? H($"<td class=\"suppressed\" title=\"{ui.T("1〜4件、または合計から割り出せないよう伏せた欄", "1 to 4, or withheld so a total cannot give a small count back")}\">&lt;5</td>") : H($"<td>{Figure(ui, n, suppressed)}</td>");

    /// <summary>
    /// One horizontal bar per row, stacked by column, with a table of the same figures. A withheld figure draws no
    /// segment (its length would give it away) and is marked &lt;5.
    /// </summary>
    private static Markup Stacked(Ui ui, string id, string title, CountGrid grid, SuppressedCounts s, Func<string, string> rowLabel, Func<string, string> columnLabel, bool columnTotals)
    {
        if (grid.Rows.Count == 0)
        {
            return H($"<p class=\"missing\">{ui.T("該当するこどもはいません。", "No children to count.")}</p>");
        }

        const int left = 170, barHeight = 16, gap = 6, width = 460;
        var rowsShown = Enumerable.Range(0, grid.Rows.Count).ToList();
        var max = Math.Max(1, rowsShown.Max(r => Enumerable.Range(0, grid.Columns.Count).Sum(c => s.Cell(r, c) ?? 0)));
        var height = (grid.Rows.Count * (barHeight + gap)) + 20;
        Markup Bar(int r)
        {
            var y = 4 + (r * (barHeight + gap));
            var x = (double)left;
            var parts = new List<Markup>();
            var hidden = 0;
            for (var c = 0; c < grid.Columns.Count; c++)
            {
                if (s.Cell(r, c) is { } v)
                {
                    var w = Math.Round((double)v / max * width, 1);
                    parts.Add(H($"<rect x=\"{x.ToString(CultureInfo.InvariantCulture)}\" y=\"{y}\" width=\"{w.ToString(CultureInfo.InvariantCulture)}\" height=\"{barHeight}\" fill=\"{Palette[c % Palette.Length]}\"><title>{rowLabel(grid.Rows[r])} {columnLabel(grid.Columns[c])}: {v}</title></rect>"));
                    x += w;
                }
                else if (s.IsSuppressed(r, c))
                {
                    hidden++;
                }
            }

            var total = s.RowTotal(r);
            var note = (hidden > 0 ? "<5 ×" + hidden.ToString(CultureInfo.InvariantCulture) + " " : string.Empty) + (total is { } t ? "= " + t.ToString("N0", CultureInfo.InvariantCulture) : string.Empty);
            return H($"""<text x="{left - 6}" y="{y + barHeight - 4}" font-size="12" text-anchor="end">{rowLabel(grid.Rows[r])}</text>{Markup.Join(parts)}<text x="{(x + 4).ToString(CultureInfo.InvariantCulture)}" y="{y + barHeight - 4}" font-size="11" fill="#33414e">{note}</text>""");
        }

        return H($"""
            <svg class="chart dashboard-chart" id="{id}" role="img" aria-label="{title}" viewBox="0 0 {left + width + 90} {height}" width="{left + width + 90}" height="{height}" xmlns="http://www.w3.org/2000/svg">
            {Each(rowsShown, Bar)}
            </svg>
            <p class="legend note">{Each(grid.Columns.Select((c, i) => (c, i)), x => H($"<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{Palette[x.i % Palette.Length]}\"/></svg> {columnLabel(x.c)}</span>　"))}</p>
            <table class="dashboard-table" data-chart="{id}">
            <caption>{title}</caption>
            <thead><tr><th scope="col"></th>{Each(grid.Columns, c => H($"<th scope=\"col\">{columnLabel(c)}</th>"))}<th scope="col">{ui.T("計", "Total")}</th></tr></thead>
            <tbody>{Each(rowsShown, r => H($"<tr><th scope=\"row\">{rowLabel(grid.Rows[r])}</th>{Each(Enumerable.Range(0, grid.Columns.Count), c => Cell(ui, s.Cell(r, c), s.IsSuppressed(r, c)))}{Cell(ui, s.RowTotal(r), s.IsSuppressed(r, grid.Columns.Count))}</tr>"))}</tbody>
            {If(columnTotals, H($"<tfoot><tr><th scope=\"row\">{ui.T("計", "Total")}</th>{Each(Enumerable.Range(0, grid.Columns.Count), c => Cell(ui, s.ColumnTotal(c), s.IsSuppressed(grid.Rows.Count, c)))}{Cell(ui, s.Total, s.IsSuppressed(grid.Rows.Count, grid.Columns.Count))}</tr></tfoot>"))}
            </table>
            """);
    }

    /// <summary>A line per difficulty across reference dates; a withheld point is left out of its line and marked &lt;5.</summary>
    private static Markup Trend(Ui ui, IReadOnlyList<(DateOnly ReferenceDate, IReadOnlyDictionary<string, long> Children)> trend)
    {
        if (trend.Count == 0)
        {
            return H($"<p class=\"missing\">{ui.T("判定（detect）の記録がまだありません。", "No detection run has been recorded yet.")}</p>");
        }

        var series = new List<string> { "any" };
        series.AddRange(Labels.Difficulties);
        string Name(string d) => d == "any" ? ui.T("いずれか", "Any") : Labels.Difficulty(ui, d);
        const int left = 50, top = 10, plot = 180, step = 90;
        var width = left + Math.Max(1, trend.Count - 1) * step + 60;
        var max = Math.Max(1, trend.SelectMany(t => t.Children.Values).Where(v => !SmallCounts.IsSmall(v)).DefaultIfEmpty(1).Max());
        double X(int i) => left + (i * step);
        double Y(long v) => Math.Round(top + plot - ((double)v / max * plot), 1);
        string P(double v) => v.ToString(CultureInfo.InvariantCulture);
        var lines = series.Select((d, si) =>
        {
            var points = trend.Select((t, i) => (i, v: SmallCounts.Shown(t.Children.GetValueOrDefault(d)))).Where(p => p.v is not null).ToList();
            return H($"""<polyline class="trend-line" data-series="{d}" fill="none" stroke="{Palette[si % Palette.Length]}" stroke-width="2" points="{string.Join(" ", points.Select(p => P(X(p.i)) + "," + P(Y(p.v!.Value))))}"/>{Each(points, p => H($"<circle cx=\"{P(X(p.i))}\" cy=\"{P(Y(p.v!.Value))}\" r=\"3\" fill=\"{Palette[si % Palette.Length]}\"><title>{Name(d)} {Labels.Date(ui, trend[p.i].ReferenceDate)}: {p.v}</title></circle>"))}""");
        });
        return H($"""
            <svg class="chart trend-chart" role="img" aria-label="{ui.T("支援の必要性（段階「高」「中」）のこどもの数の推移", "Children at band high or medium over time")}" viewBox="0 0 {width} {plot + 50}" width="{width}" height="{plot + 50}" xmlns="http://www.w3.org/2000/svg">
            <line x1="{left}" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="#5b6774"/>
            <text x="2" y="{top + 10}" font-size="11">{max}</text><text x="2" y="{top + plot}" font-size="11">0</text>
            {Each(trend.Select((t, i) => (t, i)), x => H($"<text x=\"{P(X(x.i) - 30)}\" y=\"{top + plot + 16}\" font-size=\"10\">{Labels.Date(ui, x.t.ReferenceDate)}</text>"))}
            {Markup.Join(lines)}
            </svg>
            <p class="legend note">{Each(series.Select((d, i) => (d, i)), x => H($"<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"{Palette[x.i % Palette.Length]}\"/></svg> {Name(x.d)}　"))}</p>
            <table class="dashboard-table" data-chart="trend-chart">
            <caption>{ui.T("基準日ごとの、段階「高」「中」のこどもの数（「いずれか」は1人1回）", "Children at band high or medium per reference date (\"any\" counts each child once)")}</caption>
            <thead><tr><th scope="col">{ui.T("基準日", "Reference date")}</th>{Each(series, d => H($"<th scope=\"col\">{Name(d)}</th>"))}</tr></thead>
            <tbody>{Each(trend, t => H($"<tr><th scope=\"row\">{Labels.Date(ui, t.ReferenceDate)}</th>{Each(series, d => Cell(ui, SmallCounts.Shown(t.Children.GetValueOrDefault(d)), SmallCounts.IsSmall(t.Children.GetValueOrDefault(d))))}</tr>"))}</tbody>
            </table>
            """);
    }
}
