using System.Globalization;
using ClosedXML.Excel;
using Microsoft.AspNetCore.Http;
using Mimamori.Ingestion.Validation;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;

namespace Mimamori.Web;

/// <summary>
/// The filtered worklist as an Excel workbook. Exporting is an audited action of its own (one <c>export</c> event per
/// child, the categories and fields written), a masked field is written masked, and every text cell goes through the
/// <see cref="FormulaGuard"/> so a name cannot run as a formula when the file is opened.
/// </summary>
public static class WorklistExport
{
    /// <summary>The most rows one export writes; a longer list must be narrowed first.</summary>
    public const int MaxRows = 5000;

    /// <summary>The workbook's media type.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Handles <c>GET /worklist/export.xlsx</c> with the worklist's filters.</summary>
    public static IResult Export(HttpContext http, AccessPolicy policy, WorklistQuery query, AccessAudit audit, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ui = Ui.For(http);
        var user = ui.User!;
        var disclosure = new Disclosure.Disclosure(policy, user, Purpose.EarlySupport);
        if (!disclosure.SeesAnything)
        {
            audit.Record(http, user, Purpose.EarlySupport, AuditAction.Export, "worklist", [], [], "denied");
            return Layout.Forbidden(ui, ui.T("この役割ではこどもの情報を書き出せません（アクセス方針による）。", "Your role may not export children's data (access policy)."));
        }

        var showsJudgements = JudgementPages.MayDecide(policy, user);
        var request = WorklistPages.ParseRequest(http, user, disclosure, showsJudgements, clock) with { Page = 1, PageSize = 200 };
        var first = query.Run(request);
        if (first.Total > MaxRows)
        {
            audit.Record(http, user, Purpose.EarlySupport, AuditAction.Export, "worklist", [], [], "denied");
            return Layout.Page(ui, ui.T("書き出せません", "Cannot export"), Html.H($"<p class=\"notice\">{ui.T($"{first.Total}人は多すぎます（上限{MaxRows}人）。条件で絞り込んでください。", $"{first.Total} children is too many (at most {MaxRows}). Narrow the filters first.")}</p>"), StatusCodes.Status400BadRequest);
        }

        var rows = new List<WorklistRow>(first.Rows);
        for (var page = 2; page <= first.Pages; page++)
        {
            rows.AddRange(query.Run(request with { Page = page }).Rows);
        }

        audit.RecordAll(WorklistPages.Events(http, user, disclosure, audit, rows, showsJudgements, AuditAction.Export));
        var now = JapanTime.Now(clock);
        var bytes = Workbook(ui, disclosure, rows, showsJudgements, user, now, WorklistPages.FilterQuery(request with { PageSize = 50 }));
        return Results.File(bytes, ContentType, $"mimamori-worklist-{now:yyyyMMdd-HHmm}.xlsx");
    }

    private static byte[] Workbook(Ui ui, Disclosure.Disclosure d, List<WorklistRow> rows, bool showsJudgements, User user, DateTimeOffset at, string filters)
    {
        using var book = new XLWorkbook();
        var sheet = book.Worksheets.Add(ui.T("見守りリスト", "Watch list"));
        var headers = new List<string> { ui.T("氏名", "Name"), ui.T("ふりがな", "Reading"), ui.T("年齢", "Age"), ui.T("学校", "School"), ui.T("支援の必要性", "Needs"), ui.T("主な理由", "Main reasons") };
        if (showsJudgements)
        {
            headers.Add(ui.T("判定", "Decision"));
        }

        for (var c = 0; c < headers.Count; c++)
        {
            Text(sheet.Cell(1, c + 1), headers[c]);
            sheet.Cell(1, c + 1).Style.Font.Bold = true;
        }

        var r = 1;
        foreach (var row in rows)
        {
            r++;
            var needs = row.Needs.Select(n => d.Shows(n.Signals) ? $"{Labels.Difficulty(ui, n.Difficulty)}: {Labels.Band(ui, n.Band)}" : Disclosure.Disclosure.MaskText);
            var reasons = row.TopReasons.Select(x => d.Shows(x.Signal) ? ui.T(x.Signal.Ja, x.Signal.En) : Disclosure.Disclosure.MaskText);
            var values = new List<string>
            {
                $"{row.FamilyName} {row.GivenName}",
                $"{row.FamilyKana} {row.GivenKana}",
                row.Age?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                d.Allows(DataCategory.Education) ? row.School ?? string.Empty : Disclosure.Disclosure.MaskText,
                string.Join("\n", needs),
                string.Join("\n", reasons),
            };
            if (showsJudgements)
            {
                values.Add(WorklistPages.JudgementText(ui, row.Judgement, WorklistPages.TracksYotaikyo(d)));
            }

            for (var c = 0; c < values.Count; c++)
            {
                Text(sheet.Cell(r, c + 1), values[c]);
            }
        }

        // AdjustToContents needs System.Drawing, which is not available here: fixed widths.
        double[] widths = [18, 20, 6, 24, 28, 50, 24];
        for (var c = 0; c < headers.Count; c++)
        {
            sheet.Column(c + 1).Width = widths[c];
        }

        var about = book.Worksheets.Add(ui.T("出力条件", "About"));
        string[][] facts =
        [
            [ui.T("出力者", "Exported by"), $"{user.DisplayName} ({user.Name})"],
            [ui.T("日時", "At"), at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " JST"],
            [ui.T("利用目的", "Purpose"), Purpose.EarlySupport],
            [ui.T("条件", "Filters"), filters],
            [ui.T("人数", "Children"), rows.Count.ToString(CultureInfo.InvariantCulture)],
            [ui.T("注意", "Note"), ui.T("この出力は記録されています。目的外に使わず、不要になったら削除してください。＊＊＊は閲覧権限のない項目です。", "This export is recorded. Use it only for its purpose and delete it when no longer needed. ＊＊＊ marks what you may not see.")],
        ];
        for (var i = 0; i < facts.Length; i++)
        {
            Text(about.Cell(i + 1, 1), facts[i][0]);
            Text(about.Cell(i + 1, 2), facts[i][1]);
        }

        about.Column(1).Width = 14;
        about.Column(2).Width = 80;
        using var stream = new MemoryStream();
        book.SaveAs(stream);
        return stream.ToArray();
    }

    // Text cells only, through the guard: ClosedXML would otherwise take a value starting with '=' for a formula.
    private static void Text(IXLCell cell, string value) => cell.SetValue(FormulaGuard.Neutralise(value)).SetDataType(XLDataType.Text);
}
