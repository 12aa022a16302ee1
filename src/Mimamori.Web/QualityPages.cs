using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Ingestion.Validation;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The data-quality page per feed, for data stewards: the last import and its reconciliation, what it added, changed
/// and removed, the quarantined values with the reason (downloadable as CSV, an audited export), how complete each
/// column is, and the trend across imports drawn as inline SVG. Received values are personal data: they are shown
/// only where the policy allows the feed's category for data quality, masked where it masks, and every view is audited.
/// </summary>
public static class QualityPages
{
    /// <summary>Quarantined values listed on the page; the CSV has all of them.</summary>
    public const int ListedQuarantine = 200;

    /// <summary>The audit action of a download.</summary>
    public const string ExportAction = "export";

    /// <summary>Maps the area's endpoints (under <c>/quality</c>).</summary>
    public static IEndpointRouteBuilder MapQualityPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/quality", Overview).RequireAuthorization();
        app.MapGet("/quality/{source}", Feed).RequireAuthorization();
        app.MapGet("/quality/{source}/quarantine.csv", Download).RequireAuthorization();
        return app;
    }

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MayCheck(user) ? H($"<a href=\"/quality\">{ui.T("データ品質", "Data quality")}</a>") : Markup.Empty;

    private static bool MayCheck(User user) => AccessPolicy.Default.SeesChildren(user, Purpose.DataQuality);

    private static IResult Overview(HttpContext http, MimamoriDatabase database)
    {
        var ui = Ui.For(http);
        if (!MayCheck(ui.User!))
        {
            return Layout.Forbidden(ui, ui.T("データ品質の確認はデータ管理担当が行います（アクセス方針による）。", "Data quality is checked by data stewards (access policy)."));
        }

        // Counts only: no person's values are on this page.
        var feeds = new QualityQuery(database).Batches().GroupBy(b => b.Source).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var body = H($"""
            <p class="notice">{ui.T("フィードごとの最新の取込、件数の突合、隔離（取り込めなかった行）の割合と推移です。", "Per feed: the latest import, its reconciliation, the share of quarantined rows and its trend.")}</p>
            <table class="quality-feeds">
            <tr><th>{ui.T("フィード", "Feed")}</th><th>{ui.T("最新の取込", "Last import")}</th><th>{ui.T("読込", "Read")}</th><th>{ui.T("取込", "Accepted")}</th><th>{ui.T("隔離", "Quarantined")}</th><th>{ui.T("追加・変更・削除", "Added, changed, removed")}</th><th>{ui.T("隔離率の推移", "Quarantine trend")}</th></tr>
            {Each(feeds, g => FeedRow(ui, g.Key, g.ToList()))}
            </table>
            """);
        return Layout.Page(ui, ui.T("データ品質", "Data quality"), body);
    }

    private static Markup FeedRow(Ui ui, string source, List<ImportBatchRow> batches)
    {
        var last = batches[^1];
        return H($"""
            <tr class="feed"><td><a href="/quality/{source}">{Title(ui, source)}</a></td><td>{When(last.FinishedAt)}<br><small>{last.File}</small></td>
            <td class="num">{last.RowsRead:N0}</td><td class="num">{last.RowsAccepted:N0}</td><td class="num">{last.RowsQuarantined:N0}（{Rate(last)}）</td>
            <td class="num">{Changes(last)}</td><td>{Trend(ui, batches, 160, 32)}</td></tr>
            """);
    }

    private static IResult Feed(string source, HttpContext http, MimamoriDatabase database, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var query = new QualityQuery(database);
        var batches = query.Batches(source);
        var decision = Decision(user, source);
        if (!decision.IsVisible)
        {
            audit.Record(http, user, Purpose.DataQuality, AuditAction.View, "feed:" + source, [], ["quarantine"], "denied");
            return Layout.Forbidden(ui, ui.T("このフィードのデータ品質は確認できません（アクセス方針による）。", "You may not check this feed's quality (access policy)."));
        }

        if (batches.Count == 0)
        {
            return Layout.Page(ui, Title(ui, source), H($"<p class=\"notice\">{ui.T("このフィードはまだ取り込まれていません。", "This feed has not been imported yet.")}</p>"), StatusCodes.Status404NotFound);
        }

        var last = batches[^1];
        var shown = decision.IsAllowed;
        var quarantine = query.Quarantine(last.BatchId, ListedQuarantine);
        audit.Record(http, user, Purpose.DataQuality, AuditAction.View, "feed:" + source, shown && quarantine.Count > 0 ? [decision.Category] : [], ["batches", "completeness", "quarantine"], "allowed");
        var fill = query.Completeness(last.BatchId);
        var mask = Layout.Masked(ui, ui.T("この分類の値はデータ品質の確認には表示しません", "Values of this category are not shown for data quality"));
        var body = H($"""
            <section id="last">
            <h2>{ui.T("最新の取込", "Last import")}</h2>
            <table class="basics">
            <tr><th>{ui.T("ファイル", "File")}</th><td>{last.File}{(last.EnteredBy is null ? Markup.Empty : H($"（{ui.T("紙から入力", "keyed in from paper")}: {last.EnteredBy}）"))}</td></tr>
            <tr><th>{ui.T("取込日時", "Imported")}</th><td>{When(last.FinishedAt)}</td></tr>
            <tr><th>{ui.T("件数", "Rows")}</th><td class="reconcile">{ui.T($"読込 {last.RowsRead:N0} = 取込 {last.RowsAccepted:N0} + 隔離 {last.RowsQuarantined:N0}", $"read {last.RowsRead:N0} = accepted {last.RowsAccepted:N0} + quarantined {last.RowsQuarantined:N0}")}</td></tr>
            <tr><th>{ui.T("前回との差", "Against the previous snapshot")}</th><td class="changes">{ui.T($"追加 {last.RowsAdded ?? 0:N0}・変更 {last.RowsChanged ?? 0:N0}・削除 {last.RowsRemoved ?? 0:N0}", $"added {last.RowsAdded ?? 0:N0}, changed {last.RowsChanged ?? 0:N0}, removed {last.RowsRemoved ?? 0:N0}")}</td></tr>
            </table>
            </section>
            <section id="trend">
            <h2>{ui.T("取込ごとの推移", "Trend across imports")}</h2>
            {Trend(ui, batches, 640, 120)}
            <table class="batches">
            <tr><th>{ui.T("取込", "Batch")}</th><th>{ui.T("日時", "When")}</th><th>{ui.T("ファイル", "File")}</th><th>{ui.T("読込", "Read")}</th><th>{ui.T("隔離", "Quarantined")}</th><th>{ui.T("追加・変更・削除", "Added, changed, removed")}</th><th>{ui.T("状態", "Status")}</th></tr>
            {Each(batches.AsEnumerable().Reverse(), b => H($"<tr><td class=\"num\">{b.BatchId}</td><td>{When(b.FinishedAt)}</td><td>{b.File}</td><td class=\"num\">{b.RowsRead:N0}</td><td class=\"num\">{b.RowsQuarantined:N0}（{Rate(b)}）</td><td class=\"num\">{Changes(b)}</td><td>{Status(ui, b.Status)}</td></tr>"))}
            </table>
            </section>
            <section id="completeness">
            <h2>{ui.T("項目ごとの充足率（最新の取込）", "Completeness of each column (last import)")}</h2>
            <table class="completeness">
            <tr><th>{ui.T("項目", "Column")}</th><th>{ui.T("値あり", "Filled")}</th><th>{ui.T("充足率", "Share")}</th></tr>
            {Each(fill, f => H($"<tr><td>{f.Column}</td><td class=\"num\">{f.Filled:N0} / {last.RowsAccepted:N0}</td><td>{Bar(f.Filled, last.RowsAccepted)}</td></tr>"))}
            </table>
            </section>
            <section id="quarantine">
            <h2>{ui.T("隔離された値", "Quarantined values")}</h2>
            <p>{ui.T($"{last.RowsQuarantined:N0}行が隔離されました（最初の{ListedQuarantine}件を表示）。", $"{last.RowsQuarantined:N0} rows were quarantined (the first {ListedQuarantine} values are listed).")}
               <a class="download" href="/quality/{source}/quarantine.csv?batch={last.BatchId}">{ui.T("CSVでダウンロード（記録されます）", "Download as CSV (recorded)")}</a></p>
            <table class="reasons">
            <tr><th>{ui.T("項目", "Column")}</th><th>{ui.T("期待される値", "Expected")}</th><th>{ui.T("件数", "Count")}</th></tr>
            {Each(query.Reasons(last.BatchId), r => H($"<tr><td>{r.Column}</td><td>{r.Expected}</td><td class=\"num\">{r.Count:N0}</td></tr>"))}
            </table>
            <table class="quarantine">
            <tr><th>{ui.T("行", "Line")}</th><th>{ui.T("項目", "Column")}</th><th>{ui.T("受け取った値", "Received")}</th><th>{ui.T("期待される値", "Expected")}</th></tr>
            {Each(quarantine, q => H($"<tr><td class=\"num\">{q.Line}</td><td>{q.Column}</td><td class=\"received\">{(shown ? H($"{q.Received}") : mask)}</td><td>{q.Expected}</td></tr>"))}
            </table>
            </section>
            """);
        return Layout.Page(ui, Title(ui, source), body);
    }

    private static IResult Download(string source, HttpContext http, MimamoriDatabase database, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var decision = Decision(user, source);
        var query = new QualityQuery(database);
        var batch = long.TryParse(http.Request.Query["batch"], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            ? query.Batches(source).FirstOrDefault(x => x.BatchId == b) : null;
        var subject = "feed:" + source;
        if (!decision.IsVisible)
        {
            audit.Record(http, user, Purpose.DataQuality, ExportAction, subject, [], ["quarantine"], "denied");
            return Layout.Forbidden(ui, ui.T("このフィードの隔離データはダウンロードできません（アクセス方針による）。", "You may not download this feed's quarantine (access policy)."));
        }

        if (batch is null)
        {
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("この取込はありません。", "No such import.")}</p>"), StatusCodes.Status404NotFound);
        }

        var rows = query.Quarantine(batch.BatchId, null);
        audit.Record(
            http, user, Purpose.DataQuality, ExportAction, subject, decision.IsAllowed && rows.Count > 0 ? [decision.Category] : [],
            ["quarantine:" + batch.BatchId.ToString(CultureInfo.InvariantCulture), decision.IsAllowed ? "received" : "received_masked"], "allowed");
        var csv = new StringBuilder();
        csv.Append('\uFEFF'); // Excel in Japan reads UTF-8 only with a byte-order mark.
        csv.Append("batch,file,line,column,received,expected\r\n");
        foreach (var q in rows)
        {
            var received = decision.IsAllowed ? q.Received : "＊＊＊";
            csv.AppendJoin(',', [Cell(q.BatchId.ToString(CultureInfo.InvariantCulture)), Cell(q.File), Cell(q.Line.ToString(CultureInfo.InvariantCulture)), Cell(q.Column), Cell(received), Cell(q.Expected)]).Append("\r\n");
        }

        var name = $"quarantine-{source}-{batch.BatchId.ToString(CultureInfo.InvariantCulture)}.csv";
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);
    }

    /// <summary>A CSV cell: formula-like text neutralised for spreadsheets, then quoted (RFC 4180).</summary>
    internal static string Cell(string? value) => "\"" + FormulaGuard.Neutralise(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The policy's answer for the feed's category and data quality; an unknown feed has no category and is denied.</summary>
    private static AccessDecision Decision(User user, string source) =>
        EntryPages.AllSpecs().FirstOrDefault(s => s.Source == source) is { } spec
            ? AccessPolicy.Default.Decide(user, spec.Category, Purpose.DataQuality)
            : new AccessDecision(AccessEffect.Deny, "unknown", Purpose.DataQuality, "no feed spec names this source", null);

    private static string Title(Ui ui, string source) =>
        EntryPages.AllSpecs().FirstOrDefault(s => s.Source == source) is { } spec ? $"{ui.T(spec.Title.Ja, spec.Title.En)}（{source}）" : source;

    private static string When(string? utc) =>
        DateTimeOffset.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? JapanTime.ToJapan(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    private static string Rate(ImportBatchRow b) =>
        b.RowsRead == 0 ? "—" : (b.RowsQuarantined / (double)b.RowsRead).ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Changes(ImportBatchRow b) =>
        FormattableString.Invariant($"+{b.RowsAdded ?? 0:N0} / ~{b.RowsChanged ?? 0:N0} / −{b.RowsRemoved ?? 0:N0}");

    private static string Status(Ui ui, string status) => status switch
    {
        "current" => ui.T("現行", "current"),
        "superseded" => ui.T("置換済み", "superseded"),
        "delta" => ui.T("差分", "delta"),
        _ => status,
    };

    private static Markup Bar(long filled, long total)
    {
        var share = total == 0 ? 0 : filled / (double)total;
        var width = (int)Math.Round(share * 200);
        return H($"""<svg class="bar" width="260" height="14" role="img" aria-label="{share.ToString("0.0%", CultureInfo.InvariantCulture)}"><rect width="200" height="14" fill="#eef2f6"/><rect width="{width}" height="14" fill="#1f5f8b"/><text x="206" y="12" font-size="11">{share.ToString("0.0%", CultureInfo.InvariantCulture)}</text></svg>""");
    }

    /// <summary>Rows read (bars) and the quarantined share (line) per import, oldest on the left, drawn on the server.</summary>
    internal static Markup Trend(Ui ui, IReadOnlyList<ImportBatchRow> batches, int width, int height)
    {
        if (batches.Count == 0)
        {
            return Markup.Empty;
        }

        var maxRows = Math.Max(1, batches.Max(b => b.RowsRead));
        var maxRate = Math.Max(0.01, batches.Max(b => b.RowsRead == 0 ? 0 : b.RowsQuarantined / (double)b.RowsRead));
        var step = width / (double)batches.Count;
        string X(int i) => ((i + 0.5) * step).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v, double max) => (height - 2 - (v / max * (height - 4))).ToString("0.#", CultureInfo.InvariantCulture);
        var bars = batches.Select((b, i) => H($"""<rect class="rows" x="{(i * step + step * 0.15).ToString("0.#", CultureInfo.InvariantCulture)}" y="{Y(b.RowsRead, maxRows)}" width="{(step * 0.7).ToString("0.#", CultureInfo.InvariantCulture)}" height="{(b.RowsRead / (double)maxRows * (height - 4)).ToString("0.#", CultureInfo.InvariantCulture)}" fill="#d5dbe1"><title>{b.BatchId}: {b.RowsRead:N0}</title></rect>"""));
        var points = string.Join(' ', batches.Select((b, i) => X(i) + "," + Y(b.RowsRead == 0 ? 0 : b.RowsQuarantined / (double)b.RowsRead, maxRate)));
        var label = ui.T($"取込{batches.Count}回の読込件数（棒）と隔離率（線、最大{maxRate:0.0%}）", $"Rows read (bars) and quarantined share (line, up to {maxRate:0.0%}) over {batches.Count} imports");
        return H($"""
            <svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}"><title>{label}</title>{Markup.Join(bars)}<polyline points="{points}" fill="none" stroke="#b3261e" stroke-width="2"/></svg>
            """);
    }
}
